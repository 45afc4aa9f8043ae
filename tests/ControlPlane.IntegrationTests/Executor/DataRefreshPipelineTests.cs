using System.Text;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class DataRefreshPipelineTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_run_turns_pending_uploads_into_validated_versions_and_a_second_run_finds_nothing_new()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "eu");
        var dataset = DemoFile(slug, rows: 400);
        await AddRawUploadAsync(slug, "accounts.csv", Csv(dataset));
        await AddRawUploadAsync(slug, "more.csv", Csv(DemoFile(slug, rows: 300)));
        var mapped = await DemoRuleSet.ForAsync(dataset);
        await App.WithDbAsync(db => DemoRules.SaveAsync(db, slug, UseCase, mapped));

        var run = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal(100, run.Task(DataTasks.Ingest).Progress);
        Assert.StartsWith("Made 2 dataset version(s) from 2 pending upload(s): v1 (accounts.csv), v2 (more.csv).", run.Task(DataTasks.Ingest).ProgressMessage);
        var versions = await App.WithDbAsync(db => db.DatasetVersions.Where(v => v.Enrollment!.Tenant!.Slug == slug).OrderBy(v => v.Number).ToListAsync());
        Assert.Equal([400L, 300L], versions.Select(v => v.RowCount));
        Assert.All(versions, v => Assert.NotEqual(ValidationOutcomes.Unchecked, v.ValidationOutcome));
        Assert.All(versions, v => Assert.NotNull(v.ValidationJson));
        Assert.Equal("eu", versions[0].Region);

        var again = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));

        Assert.True(again.Run.State == RunState.Succeeded, RunsClient.Describe(again));
        Assert.Equal("No data source is configured and every upload is already a dataset version.", again.Task(DataTasks.Ingest).ProgressMessage);
        Assert.Equal(2, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.StartsWith("Dataset version 2:", again.Task(DataTasks.Validate).ProgressMessage);
    }

    [Fact]
    public async Task A_blocked_dataset_fails_the_run_at_validate_with_the_report_as_the_error()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        await AddRawUploadAsync(slug, "accounts.csv", SmallCsv(rows: 150, duplicates: 3));
        await App.WithDbAsync(db => DemoRules.SaveAsync(db, slug, UseCase, SmallRules()));

        var run = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));

        Assert.True(run.Run.State == RunState.Failed, RunsClient.Describe(run));
        Assert.Equal(TaskState.Succeeded, run.Task(DataTasks.Ingest).State);
        var validate = run.Task(DataTasks.Validate);
        Assert.Equal(TaskState.Failed, validate.State);
        // In words, without an exception's name, with where to fix it.
        Assert.StartsWith("Training needs a dataset version that passes validation; version 1 is blocked by 1 problem under rules version 1:", validate.Error);
        Assert.Contains("\n• 3 (entity key, event time) pairs appear more than once (3 extra rows), e.g. 'a0' at 2026-01-01 00:00:00 (2 rows)", validate.Error);
        Assert.Contains($"on the feature rules page of {slug} / {UseCase}", validate.Error);
        Assert.DoesNotContain("Exception", validate.Error);
        var version = await App.WithDbAsync(db => db.DatasetVersions.SingleAsync(v => v.Enrollment!.Tenant!.Slug == slug));
        Assert.Equal(ValidationOutcomes.Blocked, version.ValidationOutcome);
    }

    [Fact]
    public async Task Warnings_are_logged_and_do_not_fail_the_run()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        await AddRawUploadAsync(slug, "accounts.csv", SmallCsv(rows: 150, duplicates: 0, emptySeatsEvery: 3));
        await App.WithDbAsync(db => DemoRules.SaveAsync(db, slug, UseCase, SmallRules()));

        var run = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal("Dataset version 1: warnings", run.Task(DataTasks.Validate).ProgressMessage);
        var version = await App.WithDbAsync(db => db.DatasetVersions.SingleAsync(v => v.Enrollment!.Tenant!.Slug == slug));
        Assert.Equal(ValidationOutcomes.Warnings, version.ValidationOutcome);
        var issues = System.Text.Json.Nodes.JsonNode.Parse(version.ValidationJson!)!["issues"]!.AsArray();
        Assert.Equal("Column 'Seats' (feature seats) is 33.3 % empty; above 20.0 % a column warns, above 50.0 % it blocks.", Assert.Single(issues)!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_without_an_enrollment_fails_at_ingest_saying_what_is_missing()
    {
        using var admin = App.CreateAdminClient();

        var run = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh));

        Assert.True(run.Run.State == RunState.Failed, RunsClient.Describe(run));
        Assert.Contains("start the run with a tenant and a use case", run.Task(DataTasks.Ingest).Error);
        Assert.NotEqual(TaskState.Succeeded, run.Task(DataTasks.Validate).State);
    }

    private Task AddRawUploadAsync(string slug, string fileName, byte[] bytes) => App.WithScopeAsync(async services =>
    {
        var stored = await services.GetRequiredService<UploadService>().AddAsync(slug, UseCase, fileName, new MemoryStream(bytes), "test");
        Assert.True(stored.IsOk, stored.Message);
        return stored.Value!;
    });

    /// <summary>Rules that keep one feature, "seats" read from "Seats", over a small hand-made file.</summary>
    private static RuleSet SmallRules()
    {
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        return new RuleSet
        {
            EntityKey = "Account", EventTime = "As Of", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n != "seats").ToArray(),
        };
    }

    private static byte[] SmallCsv(int rows, int duplicates, int emptySeatsEvery = 0)
    {
        var csv = new StringBuilder("Account,As Of,Churned,Seats\n");
        for (var i = 0; i < rows; i++)
        {
            var seats = emptySeatsEvery > 0 && i % emptySeatsEvery == 0 ? "" : (i % 40 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            csv.Append($"a{i % 50},2026-01-{1 + i / 50:00},{(i % 3 == 0 ? "yes" : "no")},{seats}\n");
        }
        for (var i = 0; i < duplicates; i++) csv.Append($"a{i},2026-01-01,no,7\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}

public sealed class DataRefreshPipelineTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : DataRefreshPipelineTests<Sqlite>(fixture);

public sealed class DataRefreshPipelineTestsOnPostgres(ExecutorFixture<Postgres> fixture) : DataRefreshPipelineTests<Postgres>(fixture);
