using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Storage;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// What an enrollment trains on now: its latest dataset version that validation did not block and its current rules
/// version, checked by fitting the rules on the rows (a column they read may be gone, a label may have one value).
/// <c>featurize</c> pins the choice for one retrain; the pooled step makes it for every tenant of a use case.
/// </summary>
public sealed record TrainingDataChoice(RetrainLineage Lineage, RawTable Data, RuleSet Effective, RuleDefaults Defaults)
{
    /// <param name="progress">Percent (0–100) and message, for the task's progress bar.</param>
    /// <exception cref="InvalidOperationException">No usable dataset version, or rules that no longer match it: the message says which.</exception>
    public static async Task<TrainingDataChoice> MakeAsync(
        IServiceProvider services, string tenant, string useCase, Func<double, string, Task>? progress, CancellationToken ct)
    {
        progress ??= (_, _) => Task.CompletedTask;
        var version = await LatestUsableAsync(services, tenant, useCase, ct);
        var view = (await services.GetRequiredService<FeatureRuleService>().GetAsync(tenant, useCase, ct: ct)).OrThrow();
        var rulesName = ValidationReport.ShortRulesName(view.Number);

        await progress(20, $"Reading dataset version {version.Number} ({version.RowCount:N0} rows)");
        var store = services.GetRequiredService<RegionCatalog>().StoreFor(version.Region);
        var data = await SnapshotReader.ReadAsync(store, version.SnapshotPath, maxRows: null, ct);
        await progress(50, $"Fitting {rulesName} on dataset version {version.Number}");
        var errors = RuleDryRun.Check(view.Effective, view.Task, data);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"{char.ToUpperInvariant(rulesName[0])}{rulesName[1..]} no longer matches dataset version {version.Number} of '{tenant}': " +
                string.Join(" ", errors.Select(e => e.ToString())) + " Change the rules (or upload data with these columns) and retrain.");
        }

        var lineage = new RetrainLineage(version.Id, version.Number, version.Sha256, version.SnapshotPath, version.Region,
            data.RowCount, view.Number, view.Task);
        return new TrainingDataChoice(lineage, data, view.Effective, view.Defaults);
    }

    private static async Task<DatasetVersion> LatestUsableAsync(IServiceProvider services, string tenant, string useCase, CancellationToken ct)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DatasetVersions.AsNoTracking()
                   .Where(v => v.Enrollment!.Tenant!.Slug == tenant && v.Enrollment.UseCase!.Key == useCase
                               && v.ValidationOutcome != ValidationOutcomes.Blocked)
                   .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
               ?? throw new InvalidOperationException(
                   $"'{tenant}' has no dataset version for '{useCase}' that validation did not block: upload data first.");
    }
}
