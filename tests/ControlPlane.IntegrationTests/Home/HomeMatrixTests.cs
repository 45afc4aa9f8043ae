using ControlPlane.Core.Home;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.Registry;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Home;

public abstract class HomeMatrixTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_matrix_has_one_cell_per_enrollment_and_pages_and_filters_tenants()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        using var admin = App.CreateAdminClient();
        for (var i = 0; i < 3; i++)
        {
            await admin.PostJsonAsync("/api/v1/tenants", new
            {
                name = $"Matrix {marker} {i}", slug = $"m{i}-{marker}", region = i == 2 ? "eu" : "us",
                useCases = i == 0 ? new[] { "lead-scoring", "churn-risk" } : new[] { "ticket-routing" },
            });
        }

        var matrix = await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>()
            .GetAsync(new TenantQuery { Search = marker, PageSize = 2 }));

        Assert.Equal(3, matrix.Rows.TotalCount);
        Assert.Equal(2, matrix.Rows.Items.Count);
        Assert.Equal(4, matrix.Columns.Count);
        var first = matrix.Rows.Items[0];
        Assert.Equal($"m0-{marker}", first.Slug);
        Assert.Equal(["churn-risk", "lead-scoring"], first.Cells.Keys.Order());

        var filtered = await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>()
            .GetAsync(new TenantQuery { Search = marker, UseCase = "ticket-routing", Region = "eu" }));
        Assert.Equal([$"m2-{marker}"], filtered.Rows.Items.Select(r => r.Slug));
        Assert.Equal(["ticket-routing"], filtered.Columns.Select(c => c.Key));
    }

    [Fact]
    public async Task A_cell_carries_its_champion_version_with_when_it_was_trained_and_its_headline()
    {
        var withModel = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        var withoutModel = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        await ModelVersions.RegisteredAsync(App, withModel, 0.71);
        var second = await ModelVersions.RegisteredAsync(App, withModel, 0.83);
        var promoted = await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(withModel, ModelVersions.UseCase, second, AliasNames.Champion, "test", "best so far"));
        Assert.True(promoted.IsOk, promoted.Message);

        var matrix = await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>()
            .GetAsync(new TenantQuery { Search = withModel }));
        var champion = matrix.Rows.Items.Single().Cells[ModelVersions.UseCase].Champion;
        var others = await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>()
            .GetAsync(new TenantQuery { Search = withoutModel }));

        Assert.NotNull(champion);
        Assert.Equal((second, false, "auc", 0.83, true), (champion.Number, champion.Pooled, champion.Metric, champion.Value, champion.HigherIsBetter));
        Assert.Equal(DateTimeKind.Utc, champion.TrainedAt.Kind);
        Assert.InRange(DateTime.UtcNow - champion.TrainedAt, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.Null(others.Rows.Items.Single().Cells[ModelVersions.UseCase].Champion);
        Assert.Null(matrix.Rows.Items.Single().Cells[ModelVersions.UseCase].Waiting);
        Assert.Equal(1, others.Rows.Items.Single().Cells[ModelVersions.UseCase].DatasetVersions);

        // A newer version made challenger only (what the gate does with a loser or a suspected leak) awaits review beside the champion.
        var third = await ModelVersions.RegisteredAsync(App, withModel, 0.79);
        var challenger = await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(withModel, ModelVersions.UseCase, third, AliasNames.Challenger, "test", "to review"));
        Assert.True(challenger.IsOk, challenger.Message);
        var cell = (await App.WithScopeAsync(sp => sp.GetRequiredService<HomeMatrixService>().GetAsync(new TenantQuery { Search = withModel })))
            .Rows.Items.Single().Cells[ModelVersions.UseCase];
        Assert.Equal(second, cell.Champion!.Number);
        Assert.Equal(new MatrixWaiting(third, LeakSuspected: false), cell.Waiting);
    }
}

public sealed class HomeMatrixTestsOnSqlite(AppFixture<Sqlite> fixture) : HomeMatrixTests<Sqlite>(fixture);

public sealed class HomeMatrixTestsOnPostgres(AppFixture<Postgres> fixture) : HomeMatrixTests<Postgres>(fixture);
