using System.Net;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class RetrainPipelineTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DemoUseCaseKeys.ChurnRisk;

    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_retrain_runs_every_task_and_leaves_no_run_folder_behind()
    {
        using var admin = App.CreateAdminClient();
        var slug = await RetrainTenants.CreateAsync(App, admin, UseCase, "eu", rows: 800);

        var run = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal(RetrainPipelines.Retrain, run.Run.Pipeline);
        Assert.Equal(
            [DataTasks.Ingest, DataTasks.Validate, FeaturizeTask.Name, TrainTask.Name, EvaluateTask.Name, RegisterTask.Name, PromoteGateTask.Name],
            run.Tasks.Select(t => t.Name));
        Assert.All(run.Tasks, t => Assert.Equal(100, t.Progress));
        Assert.Equal("Dataset version 1 with rules v1: 800 rows", run.Task(FeaturizeTask.Name).ProgressMessage);
        Assert.StartsWith("fasttree: test auc 0.", run.Task(TrainTask.Name).ProgressMessage);
        Assert.Empty(await App.Regions.StoreFor("eu").ListAsync($"tenants/{slug}/runs/"));
    }

    [Fact]
    public async Task The_retrain_endpoint_answers_202_with_a_run_that_the_runs_api_knows()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetsTenantAsync(admin);

        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.ReadNodeAsync())["runId"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/runs/{runId}", response.Headers.Location!.ToString());
        var run = await admin.GetRunAsync(runId);
        Assert.Equal(RetrainPipelines.Retrain, run.Run.Pipeline);
        Assert.Equal(slug, run.Run.Tenant);
        Assert.Equal(UseCase, run.Run.UseCase);
        await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(2)); // the fixture's database outlives the test
    }

    [Fact]
    public async Task Retraining_an_enrollment_that_does_not_exist_is_404_naming_it()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetsTenantAsync(admin);

        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{DemoUseCaseKeys.TicketRouting}/retrain", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Tenant '{slug}' is not enrolled in use case '{DemoUseCaseKeys.TicketRouting}'.", (await response.ReadNodeAsync())["detail"]!.GetValue<string>());
    }

    private Task<string> DatasetsTenantAsync(HttpClient admin) => RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 400, seed: 2);

    private static async Task<Guid> RetrainAsync(HttpClient admin, string slug)
    {
        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["runId"]!.GetValue<Guid>();
    }
}

public sealed class RetrainPipelineTestsOnSqlite(RetrainFixture<Sqlite> fixture) : RetrainPipelineTests<Sqlite>(fixture);

public sealed class RetrainPipelineTestsOnPostgres(RetrainFixture<Postgres> fixture) : RetrainPipelineTests<Postgres>(fixture);
