using ControlPlane.Core.Home;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Monitoring;
using ControlPlane.IntegrationTests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Home;

public abstract class HomeMatrixHealthTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_cell_carries_the_stored_verdict_of_the_checks_its_policy_and_its_champions_age()
    {
        var drifting = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        var unchecked_ = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        var version = await ModelVersions.RegisteredAsync(App, drifting, 0.8);
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(drifting, ModelVersions.UseCase, version, AliasNames.Champion, "test", "first"))).IsOk);
        var id = await MonitoringRows.EnrollmentIdAsync(App, drifting, ModelVersions.UseCase);
        await MonitoringRows.SetHealthAsync(App, id, h => (h.Drift, h.DriftNote, h.Sla, h.SlaNote) = ("drift", "amount PSI 0.41", "ok", "model 0 days old (max 30)"));
        await MonitoringRows.SetPolicyAsync(App, id, MonitoringSettings.Defaults with { MaxModelAgeDays = 10 });
        var stored = await App.WithScopeAsync(sp => sp.GetRequiredService<HealthVerdictService>().UpdateAsync(id, CancellationToken.None));

        var matrix = await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>()
            .GetAsync(new TenantQuery { Search = drifting }));
        var other = await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>()
            .GetAsync(new TenantQuery { Search = unchecked_ }));

        var health = matrix.Rows.Items.Single().Cells[ModelVersions.UseCase].Health!;
        Assert.Equal(stored, health with { Evidence = stored.Evidence }, EqualityComparer<HealthVerdict>.Default);
        Assert.Equal(stored.Evidence, health.Evidence);
        Assert.Equal(Verdicts.Drift, health.Verdict);
        Assert.Equal(["drift: amount PSI 0.41"], health.Worst.Select(c => c.Text));
        Assert.Equal("model 0 d old (max 10)", health.Evidence.Single(c => c.Aspect == "model-age").Text);
        Assert.Equal(Verdicts.Healthy, health.Evidence.Single(c => c.Aspect == "sla").Verdict);
        Assert.Equal(Verdicts.NoData, other.Rows.Items.Single().Cells[ModelVersions.UseCase].Health!.Verdict);
    }
}

public sealed class HomeMatrixHealthTestsOnSqlite(AppFixture<Sqlite> fixture) : HomeMatrixHealthTests<Sqlite>(fixture);

public sealed class HomeMatrixHealthTestsOnPostgres(AppFixture<Postgres> fixture) : HomeMatrixHealthTests<Postgres>(fixture);
