using System.Net;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class RetrainAllTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    // The only use case this class enrolls tenants in: retrain-all fans out over exactly the tenants made here.
    private const string UseCase = DemoUseCaseKeys.LeadScoring;

    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Retrain_all_retrains_every_enrolled_tenant()
    {
        using var admin = App.CreateAdminClient();
        string[] slugs =
        [
            await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 600, seed: 3),
            await RetrainTenants.CreateAsync(App, admin, UseCase, "eu", rows: 500, seed: 4),
            await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 700, seed: 5),
        ];

        var response = await admin.PostAsync($"/api/v1/use-cases/{UseCase}/retrain", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var runId = (await response.ReadNodeAsync())["runId"]!.GetValue<Guid>();
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(4));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal(RetrainPipelines.RetrainAll, run.Run.Pipeline);
        Assert.Equal(slugs.Order(), run.Children.Select(c => c.Tenant).Order());
        Assert.All(run.Children, c => Assert.Equal(RunState.Succeeded, c.State));
    }

    [Fact]
    public async Task Retrain_all_of_an_unknown_use_case_is_404()
    {
        using var admin = App.CreateAdminClient();

        var response = await admin.PostAsync("/api/v1/use-cases/no-such-use-case/retrain", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Use case 'no-such-use-case' does not exist.", (await response.ReadNodeAsync())["detail"]!.GetValue<string>());
    }
}

public sealed class RetrainAllTestsOnSqlite(RetrainFixture<Sqlite> fixture) : RetrainAllTests<Sqlite>(fixture);

public sealed class RetrainAllTestsOnPostgres(RetrainFixture<Postgres> fixture) : RetrainAllTests<Postgres>(fixture);
