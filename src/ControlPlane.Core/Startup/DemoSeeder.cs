using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Startup;

/// <summary>
/// Seeds the three demo tenants (two regions) with a year of generated data and feature rules mapping it onto each use
/// case (so they can be trained right away), once in a database's life:
/// an admin who offboards them does not get them back on the next start.
/// </summary>
public sealed class DemoSeeder(
    IDbContextFactory<ControlPlaneDbContext> dbs,
    TenantService tenants,
    UploadService uploads,
    FeatureRuleService rules,
    IOptions<ControlPlaneOptions> options,
    TimeProvider time,
    ILogger<DemoSeeder> logger)
{
    public const string SeededFlag = "demo.seeded";
    private const string Actor = "demo-seeder";

    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (await db.AppSettings.AnyAsync(s => s.Key == SeededFlag, ct) || await db.Tenants.AnyAsync(ct))
            {
                return;
            }
        }

        // A year of data ending today, so freshness and drift views have something current to show.
        var asOf = options.Value.Demo.AsOfUtc ?? time.GetUtcNow().UtcDateTime.Date;
        asOf = DateTime.SpecifyKind(asOf, DateTimeKind.Utc);
        foreach (var demo in DemoTenants.Standard)
        {
            await SeedTenantAsync(demo, asOf, ct);
        }

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.AppSettings.Add(new AppSetting { Key = SeededFlag, Value = asOf.ToString("O"), UpdatedAt = Clock.UtcNow(time) });
            await db.SaveChangesAsync(ct);
        }

        logger.LogInformation("Seeded {Count} demo tenants: {Tenants}", DemoTenants.Standard.Count, string.Join(", ", DemoTenants.Standard.Select(t => t.Slug)));
    }

    /// <summary>
    /// Creates one demo tenant with its enrollments, an upload of its generated data per use case (not yet ingested)
    /// and the demo rules; a tenant or upload the services refuse is logged and skipped. Also used by the benchmarks
    /// to seed generated tenants.
    /// </summary>
    public async Task SeedTenantAsync(DemoTenant demo, DateTime asOf, CancellationToken ct)
    {
        var created = await tenants.CreateAsync(
            new CreateTenantRequest { Name = demo.DisplayName, Slug = demo.Slug, Region = demo.Region, UseCases = demo.UseCaseKeys.ToList() }, Actor, ct: ct);
        if (!created.IsOk)
        {
            logger.LogWarning("Demo tenant {TenantSlug} was not seeded: {Problem}", demo.Slug, created.Message);
            return;
        }

        foreach (var useCase in demo.UseCaseKeys)
        {
            var dataset = demo.Generate(useCase, asOf);
            using var csv = new MemoryStream();
            await dataset.WriteCsvAsync(csv, ct);
            csv.Position = 0;
            var stored = await uploads.AddAsync(demo.Slug, useCase, $"{useCase}-{asOf:yyyyMMdd}.csv", csv, Actor, ct);
            if (!stored.IsOk)
            {
                logger.LogWarning("Demo data for {TenantSlug}/{UseCase} was not stored: {Problem}", demo.Slug, useCase, stored.Message);
            }

            await SeedRulesAsync(demo, useCase, dataset, ct);
        }
    }

    private async Task SeedRulesAsync(DemoTenant demo, string useCase, DemoDataset dataset, CancellationToken ct)
    {
        var mapped = await DemoRuleSet.ForAsync(dataset, ct);
        var saved = await rules.SaveAsync(demo.Slug, useCase, RuleJson.Write(mapped), DemoRuleSet.Comment, Actor, ct);
        if (!saved.IsOk)
        {
            logger.LogWarning("Demo rules for {TenantSlug}/{UseCase} were not saved: {Problem}", demo.Slug, useCase, saved.Message);
        }
    }
}
