using System.Net.Http.Json;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>With a data source configured, <c>ingest</c> pulls from it (and leaves raw uploads alone).</summary>
public abstract class DataRefreshFromSourceTests<TProvider>(DataSourceFixture<TProvider> fixture) : IClassFixture<DataSourceFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Ingest_pulls_the_newest_file_of_a_path_source_and_validate_checks_it()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var folder = Directory.CreateDirectory(Path.Combine(fixture.AllowedRoot, slug)).FullName;
        var dataset = DemoFile(slug, rows: 250);
        await File.WriteAllBytesAsync(Path.Combine(folder, "accounts.csv"), Csv(dataset));
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/source", new { kind = "path", path = Path.Combine(folder, "*.csv") }))
            .EnsureSuccessStatusCode();
        var mapped = await DemoRuleSet.ForAsync(dataset);
        await App.WithDbAsync(db => DemoRules.SaveAsync(db, slug, UseCase, mapped));

        var run = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal("Data source: Pulled 'accounts.csv'.", run.Task(DataTasks.Ingest).ProgressMessage);
        var version = await App.WithDbAsync(db => db.DatasetVersions.SingleAsync(v => v.Enrollment!.Tenant!.Slug == slug));
        Assert.Equal((DatasetSourceKinds.Path, 250L), (version.SourceKind, version.RowCount));
        Assert.NotEqual(ValidationOutcomes.Blocked, version.ValidationOutcome);
        Assert.StartsWith("Dataset version 1:", run.Task(DataTasks.Validate).ProgressMessage);
    }
}

public sealed class DataRefreshFromSourceTestsOnSqlite(DataSourceFixture<Sqlite> fixture) : DataRefreshFromSourceTests<Sqlite>(fixture);

public sealed class DataRefreshFromSourceTestsOnPostgres(DataSourceFixture<Postgres> fixture) : DataRefreshFromSourceTests<Postgres>(fixture);
