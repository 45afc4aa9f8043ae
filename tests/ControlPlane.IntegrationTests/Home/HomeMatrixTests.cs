using ControlPlane.Core.Home;
using ControlPlane.Core.Tenants;
using ControlPlane.IntegrationTests.Infrastructure;
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
}

public sealed class HomeMatrixTestsOnSqlite(AppFixture<Sqlite> fixture) : HomeMatrixTests<Sqlite>(fixture);

public sealed class HomeMatrixTestsOnPostgres(AppFixture<Postgres> fixture) : HomeMatrixTests<Postgres>(fixture);
