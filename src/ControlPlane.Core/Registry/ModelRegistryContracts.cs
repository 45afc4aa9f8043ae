using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.Core.Registry;

/// <summary>What the retrain pipeline hands the registry for an enrollment's own model (the artifact stream comes beside it).</summary>
/// <param name="DatasetVersionNumber">The enrollment's dataset version the model was trained on.</param>
/// <param name="RulesVersionNumber">The enrollment's feature-rules version (0 = the use case's defaults).</param>
/// <param name="Serving">The own-versus-pooled decision, when a pooled model was considered.</param>
public sealed record ModelRegistration(
    string Tenant, string UseCase, int DatasetVersionNumber, int RulesVersionNumber, ModelReport Report,
    string TriggeredBy, Guid? RunId = null, ServingDecision? Serving = null);

/// <summary>Whether an enrollment is served by its own model or by the pooled one, and why.</summary>
/// <param name="Choice">One of <see cref="ServingChoices"/>.</param>
/// <param name="PooledNumber">The pooled version (of the enrollment's use case and region) it was compared with.</param>
/// <param name="PooledHeadlineValue">The pooled model's headline metric on the enrollment's test split.</param>
public sealed record ServingDecision(string Choice, string Reason, int PooledNumber, double? PooledHeadlineValue);

/// <summary>What the retrain-all pipeline hands the registry for a pooled model of one use case in one region.</summary>
public sealed record PooledRegistration(
    string UseCase, string Region, IReadOnlyList<PooledSource> Sources, ModelReport Report, string TriggeredBy, Guid? RunId = null);

/// <summary>A model version named the way people name it: own version 3, or pooled version 2 of the use case and region.</summary>
public sealed record ModelVersionRef(Guid Id, string Kind, int Number)
{
    public static ModelVersionRef From(ModelVersion v) => new(v.Id, v.Kind, v.Number);

    public override string ToString() => Kind == ModelVersionKinds.Pooled ? $"pooled v{Number}" : $"v{Number}";
}

/// <summary>A model version in lists: headline metric (null when unmeasured) with its interval, and the aliases that point at it.</summary>
public sealed record ModelVersionSummary(
    Guid Id, string Kind, int Number, string? Tenant, string UseCase, string Region, TaskType Task, string Trainer,
    string HeadlineMetric, double? HeadlineValue, bool HigherIsBetter, int? DatasetVersionNumber, int? RulesVersionNumber,
    string TriggeredBy, DateTime CreatedAt, IReadOnlyList<string> Aliases, string? ServingChoice)
{
    public double? HeadlineLow { get; init; }
    public double? HeadlineHigh { get; init; }
    public bool LeakSuspected { get; init; }
}

/// <summary>One model version with its whole lineage and report.</summary>
public sealed record ModelVersionDetails(
    ModelVersionSummary Summary, Guid? DatasetVersionId, string? DatasetSha256, IReadOnlyList<PooledSource> PooledSources,
    IReadOnlyDictionary<string, string> Hyperparameters, int Seed, string LibraryVersion, string CodeVersion,
    TimeSpan TrainingDuration, Guid? RunId, string Region, string ArtifactSha256, long ArtifactSize, string PredictionFingerprint,
    string? ServingChoice, string? ServingReason, ModelVersionRef? PooledVersion, double? PooledHeadlineValue, ModelReport Report);

/// <summary>One move of an alias, as the history shows it.</summary>
public sealed record AliasChangeView(
    string Alias, int Sequence, ModelVersionRef? From, ModelVersionRef To, string Actor, DateTime At, string Reason, bool Automatic);

/// <summary>The promotion gate's answer: whether the challenger became champion, the comparison it rests on and why.</summary>
/// <param name="ChallengerValue">The challenger's headline on its validation rows, when it was compared with the champion.</param>
/// <param name="ChampionValue">The champion's headline on the same rows (its recipe fitted again on the same training rows).</param>
/// <param name="Difference">The paired 95 % interval of challenger − champion.</param>
/// <param name="LeakSuspected">The version's leakage checks found something: it is never promoted on its own.</param>
public sealed record GateDecision(
    bool Promoted, ModelVersionRef Challenger, ModelVersionRef? Champion, string Metric, double? ChallengerValue,
    double? ChampionValue, ML.Training.MetricInterval? Difference, ML.Training.ComparisonVerdict? Verdict, bool LeakSuspected, string Reason);

/// <summary>The version an alias pointed at, at a moment; <see cref="Version"/> is null before the alias was first set.</summary>
public sealed record LiveVersion(DateTime At, string Alias, ModelVersionRef? Version, AliasChangeView? Change);

/// <summary>An enrollment's model line: its versions newest first (and any pooled version an alias points at), and its aliases.</summary>
public sealed record ModelVersionList(IReadOnlyList<ModelVersionSummary> Versions, IReadOnlyList<AliasView> Aliases);

/// <summary>Where an alias points now.</summary>
public sealed record AliasView(string Name, ModelVersionRef Version, int Revision, DateTime UpdatedAt, string UpdatedBy);
