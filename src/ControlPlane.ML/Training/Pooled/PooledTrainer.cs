using System.Diagnostics;
using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Training;

/// <summary>
/// The pooled model of a use case in a region: one model trained on several tenants' canonical tables
/// (<see cref="CanonicalTable.From"/>) with the use case's default rules. Each tenant is split on its own, exactly as
/// its own model's split (same rows, same settings), and only the training parts are pooled; the test parts are
/// pooled for the report's metrics. So <see cref="EvaluateOn"/> on a tenant's test split is honest: the pooled model
/// never saw those rows.
/// </summary>
public static class PooledTrainer
{
    /// <exception cref="TrainingException">Too few labelled rows across the tenants, or a single class.</exception>
    public static TrainedModel Train(IReadOnlyList<RawTable> canonicalTables, RuleDefaults defaults, TrainingSettings settings,
        Action<double, string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(canonicalTables);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(settings);
        if (canonicalTables.Count == 0)
        {
            throw new TrainingException("A pooled model needs at least one tenant's data.");
        }

        var watch = Stopwatch.StartNew();
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = ModelTrainer.Compile(CanonicalTable.Rules(defaults), defaults.Task, canonicalTables[0], ml);
        var splits = canonicalTables.Select(t => TrySplit(rules, t, settings)).OfType<TrainingSplit>().ToArray();
        var trainRows = splits.Sum(s => s.Train.RowCount);
        var testRows = splits.Sum(s => s.Test.RowCount);
        if (trainRows + testRows < TrainingSplit.MinimumRows)
        {
            throw new TrainingException(
                $"The {canonicalTables.Count} tenants have {TrainingSplit.Count(trainRows + testRows)} labelled rows together; a pooled model needs at least {TrainingSplit.Count(TrainingSplit.MinimumRows)}.");
        }

        var byTime = splits.All(s => s.Summary.ByTime);
        var summary = new SplitSummary(byTime, trainRows, testRows,
            byTime ? splits.Max(s => s.Summary.TrainUntil) : null,
            byTime ? splits.Min(s => s.Summary.TestFrom) : null);
        var pooled = new TrainingSplit(
            RawTableRows.Concat(splits.Select(s => s.Train).ToArray()), RawTableRows.Concat(splits.Select(s => s.Test).ToArray()), summary);
        return ModelTrainer.Fit(ml, rules, pooled, settings, progress, ct, watch);
    }

    /// <summary>
    /// The pooled model's metrics on one tenant's test split: the split its own model was evaluated on (same canonical
    /// rows, same settings).
    /// </summary>
    /// <exception cref="TrainingException">The tenant's test split cannot be evaluated (e.g. a single class).</exception>
    public static PooledEvaluation EvaluateOn(TrainedModel pooled, RawTable tenantCanonical, RuleDefaults defaults, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        ArgumentNullException.ThrowIfNull(tenantCanonical);
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = ModelTrainer.Compile(CanonicalTable.Rules(defaults), defaults.Task, tenantCanonical, ml);
        var split = TrainingSplit.Make(rules, tenantCanonical, settings, minimumRows: 2);
        try
        {
            return new PooledEvaluation(pooled.Evaluate(split.Test), split.Summary);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // ML.NET refuses AUC on a test split with a single class.
            throw new TrainingException($"The tenant's {TrainingSplit.Count(split.Test.RowCount)} test rows cannot be evaluated: {ex.Message}");
        }
    }

    private static TrainingSplit? TrySplit(CompiledRules rules, RawTable table, TrainingSettings settings)
    {
        try
        {
            return TrainingSplit.Make(rules, table, settings, minimumRows: 2);
        }
        catch (TrainingException)
        {
            return null; // a tenant with fewer than two labelled rows adds nothing
        }
    }
}

/// <summary>The pooled model's metrics on one tenant's test split, and that split.</summary>
public sealed record PooledEvaluation(ModelMetrics Metrics, SplitSummary Split);
