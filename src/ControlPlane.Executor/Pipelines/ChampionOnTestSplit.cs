using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// Scores the enrollment's current champion on the new version's test split (the same rows, the same split the
/// trainer made), so the promotion gate compares the two on the same test data. When that is not possible — no own
/// champion, a champion trained on other columns — it says why and the gate compares the stored headlines instead.
/// </summary>
public static class ChampionOnTestSplit
{
    public sealed record Outcome(double? Value, string Note);

    public static async Task<Outcome> ScoreAsync(
        ModelRegistry registry, ModelCache cache, RetrainScope scope, RawTable data, RuleSet effective, RetrainLineage lineage, TrainingSettings settings, CancellationToken ct)
    {
        var list = await registry.ListAsync(scope.Tenant, scope.UseCase, ct);
        var champion = list.Value?.Aliases.FirstOrDefault(a => a.Name == AliasNames.Champion)?.Version;
        if (champion is null) return new Outcome(null, "there is no champion yet");
        if (champion.Kind != ModelVersionKinds.Own) return new Outcome(null, $"the champion is {champion}, compared by its stored metric");

        TrainedModel model;
        try
        {
            model = await cache.ModelAsync(champion.Id, ct);
        }
        catch (ModelUnavailableException)
        {
            return new Outcome(null, $"the champion {champion}'s artifact is missing from the store");
        }

        try
        {
            var rules = RuleCompiler.Compile(effective, lineage.Task, data.Schema);
            var test = TrainingSplit.Make(rules, data, settings).Test;
            var value = model.Evaluate(test).HeadlineValue;
            return new Outcome(value, $"champion {champion} scored {model.Report.Test.Headline} {value:F4} on this version's {test.RowCount:N0} test rows");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TrainingException or RuleSetException)
        {
            return new Outcome(null, $"champion {champion} cannot score this version's test rows ({ex.Message})");
        }
    }
}
