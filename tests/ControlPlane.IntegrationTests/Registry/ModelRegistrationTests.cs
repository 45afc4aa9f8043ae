using ControlPlane.Core.Common;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Storage;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Registry.ModelVersions;

namespace ControlPlane.IntegrationTests.Registry;

public abstract class ModelRegistrationTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Versions_are_numbered_per_enrollment_with_their_lineage_and_the_artifact_only_in_the_tenant_region()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "eu");
        var other = await EnrollmentWithDatasetAsync(App, "eu");
        var bytes = Artifact("first");

        var first = await RegisterAsync(App, slug, 0.81, bytes);
        var second = await RegisterAsync(App, slug, 0.83);
        var otherFirst = await RegisterAsync(App, other, 0.7);

        Assert.Equal([1, 2, 1], new[] { first, second, otherFirst }.Select(r => r.Value!.Number));
        var details = (await WithRegistryAsync(App, r => r.GetAsync(slug, UseCase, 1))).Value!;
        var dataset = await App.WithDbAsync(db => db.DatasetVersions.SingleAsync(d => d.Enrollment!.Tenant!.Slug == slug));
        Assert.Equal((1, dataset.Sha256, dataset.Id, 0), (details.Summary.DatasetVersionNumber, details.DatasetSha256, details.DatasetVersionId, details.Summary.RulesVersionNumber));
        Assert.Equal(("FastTree", 42, "auc", 0.81, true), (details.Summary.Trainer, details.Seed, details.Summary.HeadlineMetric, details.Summary.HeadlineValue, details.Summary.HigherIsBetter));
        Assert.Equal("100", details.Hyperparameters["numberOfTrees"]);
        Assert.StartsWith("5.", details.LibraryVersion, StringComparison.Ordinal); // the ML.NET package, not its pinned 1.0.0.0 assembly version
        Assert.False(string.IsNullOrWhiteSpace(details.CodeVersion));
        Assert.Equal((TimeSpan.FromSeconds(3.5), "test:retrain", new string('a', 64)), (details.TrainingDuration, details.Summary.TriggeredBy, details.PredictionFingerprint));
        Assert.Equal(0.7, details.Report.Test.Accuracy);
        Assert.Equal(3, details.Report.Test.Roc!.Count);

        var eu = App.Regions.StoreFor("eu");
        var files = await eu.ListAsync(ModelRegistry.ModelPrefix(slug, UseCase));
        Assert.Equal(2, files.Count);
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(ArtifactPath.TenantRoot(slug)));
        await using var stored = (await WithRegistryAsync(App, r => r.OpenArtifactAsync(first.Value!.Id)))!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal((long)bytes.Length, details.ArtifactSize);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), details.ArtifactSha256);
    }

    [Fact]
    public async Task Registrations_racing_for_a_number_each_get_their_own()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => RegisterAsync(App, slug, 0.7 + i / 100.0)));

        Assert.All(results, r => Assert.True(r.IsOk, r.Message));
        Assert.Equal([1, 2, 3, 4], results.Select(r => r.Value!.Number).Order());
        Assert.Equal(4, (await App.Regions.StoreFor("us").ListAsync(ModelRegistry.ModelPrefix(slug, UseCase))).Count);
    }

    [Fact]
    public async Task A_registration_with_lineage_the_enrollment_does_not_have_is_refused_and_leaves_nothing()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");

        var noDataset = await RegisterAsync(App, slug, 0.8, datasetVersion: 9);
        var noRules = await RegisterAsync(App, slug, 0.8, rulesVersion: 7);
        var noPool = await RegisterAsync(App, slug, 0.8, serving: new ServingDecision(ServingChoices.Pooled, "too little data", 3, 0.8));
        var empty = await RegisterAsync(App, slug, 0.8, artifact: []);
        var notEnrolled = await RegisterAsync(App, slug, 0.8, useCase: "lead-scoring");
        var wrongTask = await RegisterAsync(App, slug, 0.8, report: Report(0.8) with { Task = ML.TaskType.Regression });

        Assert.Equal(ResultStatus.Invalid, noDataset.Status);
        Assert.Contains("no version 9", Assert.Single(noDataset.Errors["datasetVersion"]));
        Assert.Contains("no version 7", Assert.Single(noRules.Errors["rulesVersion"]));
        Assert.Contains("no pooled version 3", Assert.Single(noPool.Errors["serving"]));
        Assert.Contains("empty", Assert.Single(empty.Errors["artifact"]));
        Assert.Equal(ResultStatus.NotFound, notEnrolled.Status);
        Assert.Contains("Regression model; 'churn-risk' is Binary", Assert.Single(wrongTask.Errors["report"]));
        Assert.Equal(0, await App.WithDbAsync(db => db.ModelVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(ModelRegistry.ModelPrefix(slug, UseCase)));
    }

    [Fact]
    public async Task A_version_nobody_could_measure_is_registered_with_no_headline_rather_than_refused()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");

        var unmeasured = await RegisterAsync(App, slug, double.NaN);

        Assert.True(unmeasured.IsOk, unmeasured.Message);
        Assert.Null(unmeasured.Value!.HeadlineValue);
        Assert.Null(await App.WithDbAsync(db => db.ModelVersions.Where(v => v.Enrollment!.Tenant!.Slug == slug)
            .Select(v => v.HeadlineValue).SingleAsync()));
        Assert.Single(await App.Regions.StoreFor("us").ListAsync(ModelRegistry.ModelPrefix(slug, UseCase)));
    }

    [Fact]
    public async Task A_registration_whose_row_cannot_be_recorded_leaves_no_artifact_behind()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");

        // Once the artifact has been read, its dataset version disappears: the row's foreign key then fails at insert.
        await using var artifact = new AtEndStream(Artifact("orphan"), () => App.WithDbAsync(db =>
            db.DatasetVersions.Where(d => d.Enrollment!.Tenant!.Slug == slug).ExecuteDeleteAsync()));

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => WithRegistryAsync(App, r => r.RegisterAsync(
            new ModelRegistration(slug, UseCase, 1, 0, Report(0.8), "test:retrain"), artifact)));

        Assert.True(artifact.Ended);
        Assert.Equal(0, await App.WithDbAsync(db => db.ModelVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(ModelRegistry.ModelPrefix(slug, UseCase)));
    }

    [Fact]
    public async Task A_pooled_version_records_its_tenants_and_can_serve_an_enrollment_of_its_use_case_and_region_only()
    {
        var a = await EnrollmentWithDatasetAsync(App, "eu");
        var b = await EnrollmentWithDatasetAsync(App, "eu");
        var far = await EnrollmentWithDatasetAsync(App, "us");
        var sources = await App.WithDbAsync(db => db.DatasetVersions.Where(d => d.Enrollment!.Tenant!.Slug == a || d.Enrollment.Tenant.Slug == b)
            .Select(d => new PooledSource(d.Enrollment!.Tenant!.Slug, d.Id, d.Number, d.Sha256, 0)).ToListAsync());

        var pooled = await WithRegistryAsync(App, r => r.RegisterPooledAsync(
            new PooledRegistration(UseCase, "eu", sources, Report(0.78), "test:retrain-all"), new MemoryStream(Artifact("pooled"))));
        var wrongRegion = await WithRegistryAsync(App, r => r.RegisterPooledAsync(
            new PooledRegistration(UseCase, "us", sources, Report(0.78), "test:retrain-all"), new MemoryStream(Artifact("pooled"))));

        Assert.True(pooled.IsOk, pooled.Message);
        Assert.Equal((ModelVersionKinds.Pooled, "eu"), (pooled.Value!.Kind, pooled.Value.Region));
        Assert.Contains("not a 'churn-risk' dataset in region 'us'", wrongRegion.Errors["sources"][0]);
        var details = (await WithRegistryAsync(App, r => r.GetPooledAsync(UseCase, "eu", pooled.Value.Number))).Value!;
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), details.PooledSources.Select(s => s.Tenant).Order(StringComparer.Ordinal));
        Assert.Single(await App.Regions.StoreFor("eu").ListAsync(ModelRegistry.PooledPrefix(UseCase)), p => p.Contains(pooled.Value.Id.ToString("N"), StringComparison.Ordinal));

        var own = await RegisterAsync(App, a, 0.74, serving: new ServingDecision(ServingChoices.Pooled, "the pooled model wins on this tenant's test split", pooled.Value.Number, 0.79));
        var gate = await WithRegistryAsync(App, r => r.GateAsync(a, UseCase, own.Value!.Number, "test:retrain"));
        var farPromote = await WithRegistryAsync(App, r => r.PromoteAsync(far, UseCase, pooled.Value.Id, AliasNames.Champion, "analyst", "try the pool"));

        Assert.True(gate.Value!.Promoted, gate.Value.Reason);
        Assert.Equal(pooled.Value.Id, gate.Value.Challenger.Id);
        Assert.Contains("served by pooled v", gate.Value.Reason);
        var list = (await WithRegistryAsync(App, r => r.ListAsync(a, UseCase))).Value!;
        Assert.Equal(pooled.Value.Id, list.Aliases.Single(x => x.Name == AliasNames.Champion).Version.Id);
        Assert.Contains(list.Versions, v => v.Id == pooled.Value.Id && v.Aliases.Contains(AliasNames.Champion));
        Assert.Equal(ServingChoices.Pooled, (await WithRegistryAsync(App, r => r.GetAsync(a, UseCase, own.Value!.Number))).Value!.ServingChoice);
        Assert.Equal(ResultStatus.Invalid, farPromote.Status);
        Assert.Contains("region 'eu', not of 'churn-risk' in region 'us'", farPromote.Errors["version"][0]);
    }

    [Fact]
    public async Task Offboarding_a_tenant_removes_its_versions_aliases_history_and_artifacts()
    {
        using var admin = App.CreateAdminClient();
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        var v1 = await RegisteredAsync(App, slug, 0.8);
        var v2 = await RegisteredAsync(App, slug, 0.9, (1, ComparisonVerdict.Better, RivalKinds.Champion));
        await WithRegistryAsync(App, r => r.GateAsync(slug, UseCase, v1, "test:retrain"));
        await WithRegistryAsync(App, r => r.GateAsync(slug, UseCase, v2, "test:retrain"));
        var enrollment = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug).Select(e => e.Id).SingleAsync());
        Task<int[]> CountsAsync() => App.WithDbAsync(async db => new[]
        {
            await db.ModelVersions.CountAsync(v => v.EnrollmentId == enrollment),
            await db.ModelAliases.CountAsync(a => a.EnrollmentId == enrollment),
            await db.AliasChanges.CountAsync(c => c.EnrollmentId == enrollment),
        });
        Assert.Equal(new[] { 2, 2, 4 }, await CountsAsync());

        var response = await admin.DeleteAsync($"/api/v1/tenants/{slug}?confirm={slug}");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(new[] { 0, 0, 0 }, await CountsAsync());
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(ModelRegistry.ModelPrefix(slug, UseCase)));
    }
}

/// <summary>An artifact stream that runs <paramref name="atEnd"/> the moment it has been read to the end.</summary>
internal sealed class AtEndStream(byte[] bytes, Func<Task> atEnd) : MemoryStream(bytes)
{
    public bool Ended { get; private set; }

    public override int Read(Span<byte> buffer) => Ending(base.Read(buffer));

    public override int Read(byte[] buffer, int offset, int count) => Ending(base.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Ending(await base.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Ending(int read)
    {
        if (read == 0 && !Ended)
        {
            Ended = true;

            // Off the test's synchronization context: the store may read synchronously.
            Task.Run(atEnd).GetAwaiter().GetResult();
        }

        return read;
    }
}

public sealed class ModelRegistrationTestsOnSqlite(AppFixture<Sqlite> fixture) : ModelRegistrationTests<Sqlite>(fixture);

public sealed class ModelRegistrationTestsOnPostgres(AppFixture<Postgres> fixture) : ModelRegistrationTests<Postgres>(fixture);
