using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>pooled</c>, the first step of retrain-all: per region, the pooled model of the use case trained on every enrolled
/// tenant's latest valid data — each mapped by its own rules onto the use case's canonical columns — and registered as
/// the region's next pooled version with each tenant's dataset and rules versions as lineage. The tenants' retrains
/// that follow compare their own models with it. A region with fewer than two tenants with usable data gets none (a
/// pool of one tenant is that tenant's own model), and a tenant whose data cannot be used is left out with a warning:
/// neither stops the tenants' own retrains.
/// </summary>
public static class PooledTask
{
    public const string Name = "pooled";

    /// <summary>A pool needs at least this many tenants.</summary>
    public const int MinimumTenants = 2;

    public static async Task RunAsync(TaskContext ctx)
    {
        var useCase = ctx.UseCase ?? throw new InvalidOperationException($"'{ctx.Pipeline}' works on one use case: start it with a use case.");
        var regions = await EnrolledByRegionAsync(ctx, useCase);
        var settings = TrainingInputs.SettingsOf(ctx);
        var done = 0;
        var outcomes = new List<string>();
        foreach (var (region, tenants) in regions)
        {
            var share = 100.0 / regions.Count;
            Task Progress(double percent, string message) => ctx.ReportProgressAsync(done * share + percent * share / 100, $"{region}: {message}");
            outcomes.Add(await PoolRegionAsync(ctx, useCase, region, tenants, settings, Progress));
            done++;
        }

        await ctx.ReportProgressAsync(100, outcomes.Count == 0 ? $"No tenant is enrolled in {useCase}." : string.Join(" ", outcomes));
    }

    private static async Task<string> PoolRegionAsync(
        TaskContext ctx, string useCase, string region, IReadOnlyList<string> tenants, ML.Training.TrainingSettings settings,
        Func<double, string, Task> progress)
    {
        var ct = ctx.CancellationToken;
        var registry = ctx.Services.GetRequiredService<ModelRegistry>();
        if (await AlreadyRegisteredAsync(ctx, region) is { } number)
        {
            return $"{region}: pooled v{number} (registered by an earlier attempt).";
        }

        var sources = new List<(TrainingDataChoice Choice, CanonicalTenant Canonical, string Tenant)>();
        var leftOut = new List<string>();
        foreach (var tenant in tenants)
        {
            await progress(30.0 * sources.Count / tenants.Count, $"reading {tenant}'s data");
            try
            {
                // As each tenant's own retrain does first: its latest dataset version judged by its current rules (data
                // uploaded before the tenant mapped its columns was blocked by the defaults, and would be left out).
                await ctx.Services.GetRequiredService<Core.Datasets.Validation.DatasetValidationService>().ValidateAsync(tenant, useCase, ct: ct);
                var choice = await TrainingDataChoice.MakeAsync(ctx.Services, tenant, useCase, null, ct);
                sources.Add((choice, CanonicalTable.From(choice.Data, choice.Effective, choice.Defaults, settings, tenant), tenant));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TrainingException)
            {
                ctx.Log.LogWarning("{Tenant} is left out of the {Region} pool: {Reason}", tenant, region, ex.Message);
                leftOut.Add($"{tenant} ({ex.Message.TrimEnd('.')})");
            }
        }

        if (sources.Count < MinimumTenants)
        {
            var skipped = $"{region}: no pooled model ({sources.Count} tenant(s) with usable data; a pool needs {MinimumTenants}).{LeftOut(leftOut)}";
            ctx.Log.LogInformation("{Outcome}", skipped);
            return skipped;
        }

        TrainedModel model;
        try
        {
            model = await Task.Run(() => PooledTrainer.Train(sources.Select(s => s.Canonical).ToArray(), sources[0].Choice.Defaults, settings,
                (percent, message) => progress(30 + percent * 0.65, message).GetAwaiter().GetResult(), ct), ct);
        }
        catch (TrainingException ex)
        {
            ctx.Log.LogWarning("No pooled model in {Region}: {Reason}", region, ex.Message);
            return $"{region}: no pooled model ({ex.Message}).";
        }

        var lineage = sources.Select(s => new PooledSource(s.Tenant, s.Choice.Lineage.DatasetVersionId, s.Choice.Lineage.DatasetVersion,
            s.Choice.Lineage.DatasetSha256, s.Choice.Lineage.RulesVersion)).ToArray();
        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        var version = (await registry.RegisterPooledAsync(
                new PooledRegistration(useCase, region, lineage, model.Report, await RetrainScope.TriggeredByAsync(ctx), ctx.RunId), artifact, ct))
            .OrThrow($"The registry refused the pooled {region} model");
        ctx.Log.LogInformation("Pooled v{Number} in {Region}: {Trainer} on {Tenants}, test {Metric} {Value:F4}",
            version.Number, region, version.Trainer, string.Join(", ", lineage.Select(l => l.Tenant)), version.HeadlineMetric, version.HeadlineValue);
        await progress(100, $"pooled v{version.Number}");
        return $"{region}: pooled v{version.Number} from {sources.Count} tenants, test {version.HeadlineMetric} {version.HeadlineValue:F3}.{LeftOut(leftOut)}";
    }

    /// <summary>" Left out: a (why), b (why)." — the first three tenants whose data could not be pooled, and how many more.</summary>
    private static string LeftOut(IReadOnlyList<string> leftOut) => leftOut.Count == 0
        ? ""
        : $" Left out: {string.Join("; ", leftOut.Take(3))}{(leftOut.Count > 3 ? $"; and {leftOut.Count - 3} more" : "")}.";

    private static async Task<IReadOnlyList<(string Region, IReadOnlyList<string> Tenants)>> EnrolledByRegionAsync(TaskContext ctx, string useCase)
    {
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
        var enrolled = await db.Enrollments.Where(e => e.UseCase!.Key == useCase)
            .Select(e => new { e.Tenant!.Region, e.Tenant.Slug }).ToListAsync(ctx.CancellationToken);
        return enrolled.GroupBy(e => e.Region).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(e => e.Slug).Order(StringComparer.Ordinal).ToList())).ToList();
    }

    private static async Task<int?> AlreadyRegisteredAsync(TaskContext ctx, string region)
    {
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
        return await db.ModelVersions.Where(v => v.RunId == ctx.RunId && v.Kind == ModelVersionKinds.Pooled && v.Region == region)
            .Select(v => (int?)v.Number).FirstOrDefaultAsync(ctx.CancellationToken);
    }
}
