using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Training;

/// <summary>
/// A model a new one is compared with on the same validation rows, pair by pair (<see cref="Bootstrap.Paired"/>):
/// the pooled model, the champion, recent versions. <see cref="Key"/> identifies it to the caller (a version id),
/// <see cref="Label"/> names it to people ("v4", "pooled v2").
/// </summary>
public abstract record Rival(string Key, string Label, string Kind);

/// <summary>
/// A recipe fitted again on the new model's training rows and scored on its validation rows: a version's rules, trainer
/// and hyperparameters, so two recipes are judged on the same rows and neither has seen them.
/// </summary>
public sealed record RecipeRival(
    string Key, string Label, string Kind, RuleSet Effective, string Trainer, IReadOnlyDictionary<string, string> Hyperparameters, int Featurization)
    : Rival(Key, Label, Kind);

/// <summary>
/// A fitted model that scores raw rows: given the split's training rows (to fit what it maps rows with, e.g. a tenant's
/// rules onto a pooled model's columns) and its validation rows, it returns its outputs on the validation rows in their
/// order. It must not have been fitted on them (a pooled model's holdout fit).
/// </summary>
public sealed record ScoringRival(string Key, string Label, string Kind, Func<RawTable, RawTable, ScoredRows> Score)
    : Rival(Key, Label, Kind);

public static class RivalKinds
{
    public const string Pooled = "pooled";
    public const string Champion = "champion";
    public const string Recent = "recent";
}

/// <summary>
/// Two models on the same validation rows. <see cref="A"/> is "own" (the new model) or a rival's key; the difference
/// is a − b by the headline metric with its paired 95 % interval, the verdict from a's side.
/// </summary>
/// <param name="Note">Why there is no measurement (a recipe that no longer fits the data, a single class), else how it was made.</param>
/// <param name="AInterval">The 95 % interval of a's own headline on these rows.</param>
/// <param name="BInterval">The 95 % interval of b's own headline on these rows.</param>
/// <param name="RivalFailed">The rival could not score these rows at all (its rules no longer fit the data): not a lack of rows.</param>
public sealed record ModelComparison(
    string A, string ALabel, string B, string BLabel, string BKind, PairedDifference Difference, string? Note = null,
    MetricInterval? AInterval = null, MetricInterval? BInterval = null, bool RivalFailed = false)
{
    public const string Own = "own";
}
