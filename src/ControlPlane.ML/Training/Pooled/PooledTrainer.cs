using System.Diagnostics;
using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Training;

/// <summary>
/// The pooled model of a use case in a region: one model trained on several tenants' canonical tables
/// (<see cref="CanonicalTable.From"/>, each with the tenant's name as a feature) with the use case's default rules.
/// Each tenant is split on its own, exactly as its own model's split (same rows, same settings), and the parts are
/// pooled: the pool is chosen on the tenants' training rows, judged on their validation rows, reported on their test
/// rows, and served fitted on every labelled row as each tenant's own version maps it. Its holdout fit (<see cref="TrainedModel.Holdout"/>, the training rows only) is
/// what a tenant's retrain compares its own model with on its validation rows (<see cref="Rival"/>), rows that fit never saw.
/// </summary>
public static class PooledTrainer
{
    /// <exception cref="TrainingException">Too few labelled rows across the tenants, or a single class.</exception>
    public static TrainedModel Train(IReadOnlyList<CanonicalTenant> tenants, RuleDefaults defaults, TrainingSettings settings,
        Action<double, string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var canonicalTables = tenants.Select(t => t.Holdout).ToArray();
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(settings);
        if (canonicalTables.Length == 0)
        {
            throw new TrainingException("A pooled model needs at least one tenant's data.");
        }

        var watch = new TrainingClock();
        settings = settings with { KeepHoldout = true };
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = ModelTrainer.Compile(CanonicalTable.Rules(defaults), defaults.Task, canonicalTables[0], ml, settings.Featurization);
        var parts = tenants.Select(t => (Tenant: t, Split: TrySplit(rules, t.Holdout, settings))).Where(p => p.Split is not null).ToArray();
        var splits = parts.Select(p => p.Split!).ToArray();
        var rows = splits.Sum(s => s.Summary.LabelledRows);
        if (splits.Length == 0 || rows < TrainingSplit.MinimumRows)
        {
            throw new TrainingException(
                $"The {canonicalTables.Length} tenants have {TrainingSplit.Count(rows)} labelled rows together; a pooled model needs at least {TrainingSplit.Count(TrainingSplit.MinimumRows)}.");
        }

        var byTime = splits.All(s => s.Summary.ByTime);
        var summary = new SplitSummary(byTime, splits.Sum(s => s.Train.RowCount), splits.Sum(s => s.Test.RowCount),
            byTime ? splits.Max(s => s.Summary.TrainUntil) : null,
            byTime ? splits.Min(s => s.Summary.TestFrom) : null)
        {
            ValidationRows = splits.Sum(s => s.Validation.RowCount),
            ValidationFrom = byTime ? splits.Min(s => s.Summary.ValidationFrom) : null,
        };
        var pooled = new TrainingSplit(
            RawTableRows.Concat(splits.Select(s => s.Train).ToArray()), RawTableRows.Concat(splits.Select(s => s.Validation).ToArray()),
            RawTableRows.Concat(splits.Select(s => s.Test).ToArray()), summary);
        var served = RawTableRows.Concat(parts.Select(p => RawTableRows.Select(p.Tenant.Served, p.Split!.AllRows)).ToArray());
        return ModelTrainer.Fit(ml, rules, pooled, settings, progress, ct, watch, servedRows: served);
    }

    /// <summary>
    /// The pooled model as a rival of one tenant's own model: the tenant's rows mapped by its rules fitted on the
    /// split's training rows, scored by the pool's holdout fit (the served fit when the artifact has none, which the
    /// note of the comparison cannot tell: such a pool was fitted on every row).
    /// </summary>
    public static ScoringRival Rival(TrainedModel pooled, string key, string label, RuleSet effective, RuleDefaults defaults, TrainingSettings settings, string tenant)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        var scorer = pooled.Holdout ?? pooled;
        return new ScoringRival(key, label, RivalKinds.Pooled, (train, validation) =>
        {
            var canonical = CanonicalTable.Mapper(train, effective, defaults, settings, tenant)(validation);
            return scorer.ScoreLabelled(canonical);
        });
    }

    private static TrainingSplit? TrySplit(CompiledRules rules, RawTable table, TrainingSettings settings)
    {
        try
        {
            return TrainingSplit.Make(rules, table, settings, minimumRows: 3);
        }
        catch (TrainingException)
        {
            return null; // a tenant with fewer than three labelled rows adds nothing
        }
    }
}
