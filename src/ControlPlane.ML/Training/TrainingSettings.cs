namespace ControlPlane.ML.Training;

/// <summary>
/// How one model is trained. Everything that changes the result is here (with the data and the rules), so the same
/// settings on the same dataset and rules versions give identical metrics and predictions.
/// </summary>
public sealed record TrainingSettings
{
    public int Seed { get; init; } = 42;

    /// <summary>Wall-clock budget of the hyperparameter search (the final fit and evaluation come on top).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Cross-validation folds used to choose a candidate (time-ordered folds when there are event times).</summary>
    public int Folds { get; init; } = 3;

    /// <summary>Threads given to trainers that can use several (LightGBM, FastTree, SDCA); fixed for reproducibility.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Candidate trainer names (see <see cref="TrainerNames"/>); null tries every candidate of the task type.</summary>
    public IReadOnlyList<string>? Trainers { get; init; }

    /// <summary>Share of rows held out as the test split (the newest ones when there are event times): only reported on.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of rows held out for choices (the ones before the test rows when there are event times).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// Fits each trainer with ML.NET's default hyperparameters only (no search); with a single trainer, no
    /// cross-validation either. The benchmark's "plain FastTree" reference.
    /// </summary>
    public bool DefaultHyperparametersOnly { get; init; }

    /// <summary>
    /// With exactly one trainer in <see cref="Trainers"/>: fit it with these hyperparameters (a report's
    /// <see cref="ModelReport.Hyperparameters"/>) and search nothing. What a "reproduce" action uses: the result does
    /// not depend on how far a time-limited search got.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Hyperparameters { get; init; }

    /// <summary>Test rows explained one by one (feature contributions) and stored with the version.</summary>
    public int ExplainedRows { get; init; } = 20;

    /// <summary>
    /// Keep the model fitted on the training rows only beside the served one (<see cref="TrainedModel.Holdout"/>): a
    /// pooled model, which tenants' retrains score on their validation rows — rows the served pool was fitted on.
    /// </summary>
    public bool KeepHoldout { get; init; }

    /// <summary>What the rules' unstated choices mean (<see cref="Rules.DateFeatures.DefaultsFor"/>); a reproduction passes the version's.</summary>
    public int Featurization { get; init; } = Rules.DateFeatures.CurrentFeaturization;
}

/// <summary>The candidate trainers, by task type.</summary>
public static class TrainerNames
{
    public const string FastTree = "fasttree";
    public const string LightGbm = "lightgbm";
    public const string LogisticRegression = "logistic-regression";
    public const string MaximumEntropy = "maximum-entropy";
    public const string OneVersusAllTrees = "one-vs-all-fasttree";
    public const string Sdca = "sdca";

    /// <summary>The candidates of a task type, in the order the search prefers them (see <see cref="CandidateSearch"/>).</summary>
    public static IReadOnlyList<string> For(TaskType task) => task switch
    {
        TaskType.Binary => [LightGbm, FastTree, LogisticRegression],
        TaskType.Multiclass => [LightGbm, MaximumEntropy, OneVersusAllTrees],
        TaskType.Regression => [LightGbm, FastTree, Sdca],
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, null),
    };
}
