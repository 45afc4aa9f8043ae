using System.Net;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

public abstract partial class RetrainPipelineTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DemoUseCaseKeys.ChurnRisk;

    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_retrain_registers_version_1_as_champion_with_lineage_and_a_second_goes_through_the_gate_on_the_same_validation_rows()
    {
        using var admin = App.CreateAdminClient();
        var slug = await RetrainTenants.CreateAsync(App, admin, UseCase, "eu", rows: 800, slug: "own-line");
        var orphan = $"tenants/{slug}/runs/{Guid.NewGuid():N}/lineage.json"; // of a run that no longer exists
        await App.Regions.StoreFor("eu").WriteAsync(orphan, new MemoryStream("{}"u8.ToArray()));

        var first = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));

        Assert.True(first.Run.State == RunState.Succeeded, RunsClient.Describe(first));
        Assert.Equal(
            [DataTasks.Ingest, DataTasks.Validate, FeaturizeTask.Name, TrainTask.Name, EvaluateTask.Name, RegisterTask.Name, PromoteGateTask.Name],
            first.Tasks.Select(t => t.Name));
        Assert.All(first.Tasks, t => Assert.Equal(100, t.Progress));
        Assert.Equal("Dataset version 1 with rules v1: 800 rows", first.Task(FeaturizeTask.Name).ProgressMessage);
        Assert.Matches(@"^[a-z-]+: validation auc 0\.\d{4}, test 0\.\d{4}$", first.Task(TrainTask.Name).ProgressMessage);
        Assert.Equal("Registered version 1", first.Task(RegisterTask.Name).ProgressMessage);
        Assert.StartsWith("v1 is champion. No champion yet", first.Task(PromoteGateTask.Name).ProgressMessage);
        var v1 = await VersionAsync(slug, 1);
        Assert.Equal([AliasNames.Champion, AliasNames.Challenger], v1.Summary.Aliases.Order().Reverse());
        Assert.Equal(1, v1.Summary.DatasetVersionNumber);
        Assert.Equal(1, v1.Summary.RulesVersionNumber);
        Assert.Equal(first.Run.Id, v1.RunId);
        Assert.Equal(first.Run.TriggeredBy, v1.Summary.TriggeredBy);
        Assert.Equal(await DatasetShaAsync(slug, 1), v1.DatasetSha256);
        Assert.True(v1.Report.Test.Auc > 0.6, $"AUC {v1.Report.Test.Auc} on demo data with known signal");
        Assert.Empty(v1.Report.Comparisons); // nothing to compare the first version with
        Assert.NotNull(v1.Report.Validation!.HeadlineInterval);
        Assert.Empty(await App.Regions.StoreFor("eu").ListAsync($"tenants/{slug}/runs/"));

        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "more.csv",
            Datasets.DatasetUploads.Csv(RetrainTenants.Demo(slug, UseCase, rows: 900, seed: 1)));
        var second = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));

        Assert.True(second.Run.State == RunState.Succeeded, RunsClient.Describe(second));
        Assert.Equal("Dataset version 2 with rules v1: 900 rows", second.Task(FeaturizeTask.Name).ProgressMessage);
        var v2 = await VersionAsync(slug, 2);
        Assert.Equal(2, v2.Summary.DatasetVersionNumber);
        Assert.Equal(second.Run.Id, v2.RunId);
        var gate = second.Task(PromoteGateTask.Name).ProgressMessage!;
        // v1's recipe was fitted again on v2's training rows and both were scored on v2's validation rows.
        var versusV1 = v2.Report.Comparisons.Single(c => c.A == ModelComparison.Own && c.B == v1.Summary.Id.ToString());
        Assert.Equal(RivalKinds.Champion, versusV1.BKind);
        Assert.Equal(v2.Report.Split.ValidationRows, versusV1.Difference.Rows);
        Assert.NotEqual(ComparisonVerdict.Unmeasured, versusV1.Difference.Verdict);
        Assert.Contains($"the champion v1 on the same {v2.Report.Split.ValidationRows:N0} validation rows", gate);
        var history = await App.WithScopeAsync(s => s.GetRequiredService<ModelRegistry>().HistoryAsync(slug, UseCase));
        var last = history.Value!.OrderBy(c => c.At).ThenBy(c => c.Sequence).Last();
        Assert.Equal(2, last.To.Number);
        Assert.True(last.Automatic);
        Assert.Contains("Promotion gate:", last.Reason);
        var champion = v2.Summary.Aliases.Contains(AliasNames.Champion) ? 2 : 1;
        Assert.StartsWith(champion == 2 ? "v2 is champion." : "v2 is challenger.", gate);
        Assert.Contains(AliasNames.Challenger, v2.Summary.Aliases);
    }

    [Fact]
    public async Task Too_few_labelled_rows_fail_the_train_task_with_the_trainers_message_and_register_nothing()
    {
        using var admin = App.CreateAdminClient();
        var slug = await RetrainTenants.CreateHandMadeAsync(App, admin, rows: 25, churned: i => i % 3 == 0);

        var run = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));

        Assert.True(run.Run.State == RunState.Failed, RunsClient.Describe(run));
        Assert.Equal(TaskState.Succeeded, run.Task(FeaturizeTask.Name).State);
        var train = run.Task(TrainTask.Name);
        Assert.Equal(TaskState.Failed, train.State);
        Assert.Equal("TrainingException: Only 25 of the 25 rows have a label; training needs at least 30 labelled rows.", train.Error);
        Assert.Equal(TaskState.UpstreamFailed, run.Task(RegisterTask.Name).State);
        // A failed run keeps its folder for diagnosis and reruns (later retrains sweep it after a week).
        Assert.Equal([$"tenants/{slug}/runs/{run.Run.Id:N}/{RunFolder.Lineage}", $"tenants/{slug}/runs/{run.Run.Id:N}/{RunFolder.Rivals}"],
            (await App.Regions.StoreFor("us").ListAsync($"tenants/{slug}/runs/")).Order(StringComparer.Ordinal));
        var versions = await App.WithScopeAsync(s => s.GetRequiredService<ModelRegistry>().ListAsync(slug, UseCase));
        Assert.Empty(versions.Value!.Versions);
    }

    [Fact]
    public async Task A_single_class_in_the_newest_rows_leaves_the_version_unmeasured_and_unpromoted_with_the_reason()
    {
        using var admin = App.CreateAdminClient();
        // Accounts churn only in the older half: the model trains (two classes in its training rows), but the validation
        // and test rows hold one class: nothing can measure it.
        var slug = await RetrainTenants.CreateHandMadeAsync(App, admin, rows: 200, churned: i => i < 100 && i % 3 == 0);

        var run = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        var v1 = await VersionAsync(slug, 1);
        Assert.Null(v1.Summary.HeadlineValue);
        Assert.True(double.IsNaN(v1.Report.Test.HeadlineValue));
        Assert.True(double.IsNaN(v1.Report.Validation!.HeadlineValue));
        Assert.DoesNotContain(AliasNames.Champion, v1.Summary.Aliases);
        Assert.Contains(AliasNames.Challenger, v1.Summary.Aliases);
        Assert.StartsWith("v1 is challenger. No champion yet, but v1 cannot be measured on its 40 validation rows (nor on its test rows", run.Task(PromoteGateTask.Name).ProgressMessage);
    }

    [Fact]
    public async Task Rules_that_no_longer_match_the_data_are_refused_naming_the_versions_and_the_missing_column()
    {
        using var admin = App.CreateAdminClient();
        var slug = await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 200, seed: 3, slug: "rules-drift");
        var ingest = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));
        Assert.True(ingest.Run.State == RunState.Succeeded, RunsClient.Describe(ingest));
        var rules = await App.WithScopeAsync(async s => (await s.GetRequiredService<FeatureRuleService>().GetAsync(slug, UseCase)).Value!.Overrides);
        var renamed = rules with { Features = [rules.Features[0] with { Source = "Gone Column" }, .. rules.Features.Skip(1)] };
        Assert.Equal(2, await RetrainTenants.SaveRulesAsync(App, slug, UseCase, renamed));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            App.WithScopeAsync(s => TrainingDataChoice.MakeAsync(s, slug, UseCase, null, CancellationToken.None)));

        Assert.StartsWith($"Rules v2 no longer matches dataset version 1 of '{slug}': ", error.Message);
        Assert.Contains("'Gone Column'", error.Message);
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

    [Fact]
    public async Task A_viewer_cannot_start_a_retrain_and_nothing_starts()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetsTenantAsync(admin);
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "viewer", role = Roles.Viewer })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(issued["secret"]!.GetValue<string>());

        var one = await viewer.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        var all = await viewer.PostAsync($"/api/v1/use-cases/{UseCase}/retrain", null);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (one.StatusCode, all.StatusCode));
        Assert.Equal(0, await App.WithDbAsync(db => db.PipelineRuns.CountAsync(r => r.TenantSlug == slug || r.Pipeline == RetrainPipelines.RetrainAll)));
    }

    private Task<ModelVersionDetails> VersionAsync(string slug, int number) => App.WithScopeAsync(async s =>
    {
        var version = await s.GetRequiredService<ModelRegistry>().GetAsync(slug, UseCase, number);
        Assert.True(version.IsOk, version.Message);
        return version.Value!;
    });

    private Task<string> DatasetShaAsync(string slug, int number) => App.WithDbAsync(db =>
        db.DatasetVersions.Where(v => v.Enrollment!.Tenant!.Slug == slug && v.Number == number).Select(v => v.Sha256).SingleAsync());

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
