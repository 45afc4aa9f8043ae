using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>featurize</c>: pins what the model will be trained on — the latest dataset version validation did not block and
/// the enrollment's current rules version — checks by fitting the rules on the rows that the rules still match the data
/// (a column they read may have gone, a label may have a single value), and records the choice in the run folder.
/// </summary>
public static class FeaturizeTask
{
    public const string Name = "featurize";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        var ct = ctx.CancellationToken;
        await ctx.ReportProgressAsync(0, "Choosing the dataset and rules versions");
        var version = await LatestUsableAsync(ctx, scope, ct);
        var rules = await ctx.Services.GetRequiredService<FeatureRuleService>().GetAsync(scope.Tenant, scope.UseCase, ct: ct);
        if (!rules.IsOk) throw new InvalidOperationException(rules.Message);
        var view = rules.Value!;

        await ctx.ReportProgressAsync(20, $"Reading dataset version {version.Number} ({version.RowCount:N0} rows)");
        var data = await SnapshotReader.ReadAsync(scope.Folder.Store, version.SnapshotPath, maxRows: null, ct);
        await ctx.ReportProgressAsync(50, $"Fitting {RulesName(view.Number)} on dataset version {version.Number}");
        var errors = RuleDryRun.Check(view.Effective, view.Task, data);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"{Capitalized(RulesName(view.Number))} no longer matches dataset version {version.Number}: " +
                string.Join(" ", errors.Select(e => e.ToString())) +
                " Change the rules (or upload data with these columns) and retrain.");
        }

        var lineage = new RetrainLineage(version.Id, version.Number, version.Sha256, version.SnapshotPath, version.Region,
            data.RowCount, view.Number, view.Task);
        await scope.Folder.WriteJsonAsync(RunFolder.Lineage, lineage, ct);
        ctx.Log.LogInformation("Training data: dataset version {Dataset} ({Rows} rows, SHA-256 {Sha}) with {Rules}, task {Task}",
            version.Number, data.RowCount, version.Sha256, RulesName(view.Number), view.Task);
        await ctx.ReportProgressAsync(100, $"Dataset version {version.Number} with {RulesName(view.Number)}: {data.RowCount:N0} rows");
    }

    private static async Task<DatasetVersion> LatestUsableAsync(TaskContext ctx, RetrainScope scope, CancellationToken ct)
    {
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DatasetVersions.AsNoTracking()
                   .Where(v => v.Enrollment!.Tenant!.Slug == scope.Tenant && v.Enrollment.UseCase!.Key == scope.UseCase
                               && v.ValidationOutcome != ValidationOutcomes.Blocked)
                   .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
               ?? throw new InvalidOperationException(
                   $"'{scope.Tenant}' has no dataset version for '{scope.UseCase}' that validation did not block: upload data first.");
    }

    private static string RulesName(int rulesVersion) =>
        Core.Datasets.Validation.ValidationReport.ShortRulesName(rulesVersion);

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
