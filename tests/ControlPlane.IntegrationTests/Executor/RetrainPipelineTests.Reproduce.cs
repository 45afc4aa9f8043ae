using System.Net;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>The <c>reproduce</c> pipeline, on the retrain tests' tiny-training app and helpers.</summary>
public abstract partial class RetrainPipelineTests<TProvider>
{
    [Fact]
    public async Task Reproducing_version_1_retrains_it_on_its_lineage_with_identical_predictions_and_registers_nothing()
    {
        using var admin = App.CreateAdminClient();
        var slug = await RetrainTenants.CreateAsync(App, admin, UseCase, "eu", rows: 600, slug: "reproduce");
        var retrain = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));
        Assert.True(retrain.Run.State == RunState.Succeeded, RunsClient.Describe(retrain));
        var v1 = await VersionAsync(slug, 1);

        var runId = await ReproduceAsync(admin, slug, 1);
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(2));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal([ReproduceTask.Name], run.Tasks.Select(t => t.Name));
        Assert.Equal("v1 reproduced: identical predictions", run.Task(ReproduceTask.Name).ProgressMessage);
        var outcome = Assert.Single(await ReproductionsAsync(slug, 1));
        Assert.True(outcome.Identical);
        Assert.Equal((1, runId), (outcome.Version, outcome.RunId));
        Assert.Equal(v1.PredictionFingerprint, outcome.StoredFingerprint);
        Assert.Equal(outcome.StoredFingerprint, outcome.NewFingerprint);
        Assert.Contains("auc", outcome.MetricDeltas.Keys);
        Assert.All(outcome.MetricDeltas, d => Assert.True(d.Value == 0, $"{d.Key} moved by {d.Value}"));
        Assert.Equal([$"tenants/{slug}/models/{UseCase}/{v1.Summary.Id:N}/reproductions/{runId:N}.json"],
            await App.Regions.StoreFor("eu").ListAsync($"tenants/{slug}/models/{UseCase}/{v1.Summary.Id:N}/"));
        var registry = await App.WithScopeAsync(s => s.GetRequiredService<ModelRegistry>().ListAsync(slug, UseCase));
        Assert.Single(registry.Value!.Versions);
        var history = await App.WithScopeAsync(s => s.GetRequiredService<ModelRegistry>().HistoryAsync(slug, UseCase));
        Assert.Equal(2, history.Value!.Count); // champion and challenger moved once each, by the retrain's gate only

        // A version whose stored predictions no longer match what its lineage gives is reported as not reproduced.
        await App.WithDbAsync(db => db.ModelVersions.Where(v => v.Id == v1.Summary.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.PredictionFingerprint, "0000")));
        var failed = await admin.WaitFinishedAsync(await ReproduceAsync(admin, slug, 1), TimeSpan.FromMinutes(2));

        Assert.True(failed.Run.State == RunState.Failed, RunsClient.Describe(failed));
        Assert.Equal($"InvalidOperationException: v1 was not reproduced: retraining on dataset version 1 with rules version 1, fasttree and seed {v1.Seed} " +
                     $"gave fingerprint {outcome.NewFingerprint}, the version has 0000.", failed.Task(ReproduceTask.Name).Error);
        var latest = (await ReproductionsAsync(slug, 1))[0];
        Assert.Equal((false, failed.Run.Id, "0000", outcome.NewFingerprint), (latest.Identical, latest.RunId, latest.StoredFingerprint, latest.NewFingerprint));
    }

    [Fact]
    public async Task Reproducing_a_version_that_does_not_exist_is_not_found_naming_it_and_starts_nothing()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetsTenantAsync(admin);

        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/models/7/reproduce", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"'{slug}' has no version 7 of its '{UseCase}' model.", (await response.ReadNodeAsync())["detail"]!.GetValue<string>());
        Assert.Equal(0, await App.WithDbAsync(db => db.PipelineRuns.CountAsync(r => r.TenantSlug == slug && r.Pipeline == ReproducePipeline.Name)));
    }

    private Task<IReadOnlyList<ReproductionOutcome>> ReproductionsAsync(string slug, int number) => App.WithScopeAsync(async s =>
    {
        var outcomes = await s.GetRequiredService<ModelRegistry>().ReproductionsAsync(slug, UseCase, number);
        Assert.True(outcomes.IsOk, outcomes.Message);
        return outcomes.Value!;
    });

    private static async Task<Guid> ReproduceAsync(HttpClient admin, string slug, int number)
    {
        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/models/{number}/reproduce", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["runId"]!.GetValue<Guid>();
    }
}
