using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.IntegrationTests.Demo;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.FeatureRules;

public abstract class DemoRulesSeedingTests<TProvider>(DemoAppFixture<TProvider> fixture) : IClassFixture<DemoAppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private static readonly DateTime AsOf = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Every_demo_enrollment_starts_with_rules_that_map_its_columns()
    {
        var versions = await App.WithDbAsync(db => db.FeatureRuleVersions
            .Select(v => new { Tenant = v.Enrollment!.Tenant!.Slug, UseCase = v.Enrollment.UseCase!.Key, v.Number, v.Comment, v.CreatedBy })
            .ToListAsync());

        Assert.Equal(DemoTenants.Standard.Sum(t => t.UseCaseKeys.Count), versions.Count);
        foreach (var demo in DemoTenants.Standard)
        {
            foreach (var useCase in demo.UseCaseKeys)
            {
                var version = Assert.Single(versions, v => v.Tenant == demo.Slug && v.UseCase == useCase);
                Assert.Equal((1, DemoRuleSet.Comment, "demo-seeder"), (version.Number, version.Comment, version.CreatedBy));

                var view = await App.WithScopeAsync(sp => sp.GetRequiredService<FeatureRuleService>().GetAsync(demo.Slug, useCase));
                var dataset = demo.Generate(useCase, AsOf);
                var columns = await DemoRuleSet.ColumnsAsync(dataset);
                Assert.Empty(RuleChecker.Check(view.Value!.Effective, view.Value.Task, columns));
                Assert.Equal(dataset.Label.RawName, view.Value.Effective.Label!.Source ?? view.Value.Effective.Label.Inputs![0]);
            }
        }
    }
}

public sealed class DemoRulesSeedingTestsOnSqlite(DemoAppFixture<Sqlite> fixture) : DemoRulesSeedingTests<Sqlite>(fixture);

public sealed class DemoRulesSeedingTestsOnPostgres(DemoAppFixture<Postgres> fixture) : DemoRulesSeedingTests<Postgres>(fixture);
