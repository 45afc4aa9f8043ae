using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.CrossTenant;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Components.Monitoring;
using ControlPlane.Web.Components.UseCases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>The cross-tenant drift page of a use case: tenants with their status and top features, and the PSI heatmap.</summary>
public sealed class UseCaseMonitoringTests : CoreTestContext
{
    private const string UseCase = "lead-scoring";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Tenants_drifting_in_the_same_features_are_listed_together_with_their_top_features_and_heatmap_cells()
    {
        await TenantAsync("alpha", "drift", ("pages_viewed", 0.45, "drift"), ("company_size", 0.31, "drift"), ("country", 0.02, "ok"));
        await TenantAsync("beta", "ok", ("pages_viewed", 0.03, "ok"), ("company_size", 0.01, "ok"), ("country", 0.12, "warning"));
        await TenantAsync("gamma", "drift", ("pages_viewed", 0.52, "drift"), ("company_size", 0.05, "ok"), ("country", 0.01, "ok"));
        await TenantAsync("delta", "drift", ("pages_viewed", 0.38, "drift"), ("company_size", 0.25, "drift"), ("country", 0.04, "ok"));
        await TenantAsync("omega", null);

        var cut = Render<UseCaseMonitoring>(p => p.Add(x => x.Key, UseCase));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-drift-heatmap]")), Wait);
        // Drifting first; alpha and delta drift in the same two features, so they sit together.
        Assert.Equal(["gamma", "alpha", "delta", "beta", "omega"], cut.FindAll("#use-case-tenants tr[data-tenant]").Select(r => r.GetAttribute("data-tenant")));
        Assert.Equal(["pages_viewed", "company_size", "country"], cut.FindAll("[data-heatmap-feature]").Select(e => e.GetAttribute("data-heatmap-feature")));
        var alpha = cut.Find("#use-case-tenants tr[data-tenant='alpha'] [data-top-features]");
        Assert.Equal(["pages_viewed 0.45", "company_size 0.31"], alpha.QuerySelectorAll(".mud-chip").Select(c => string.Join(' ', c.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        Assert.Equal("/tenants/alpha/use-cases/lead-scoring/monitoring", cut.Find("#use-case-tenants tr[data-tenant='alpha'] a").GetAttribute("href"));
        var cell = cut.Find("tr[data-heatmap-tenant='gamma'] td[data-psi='0.520']");
        Assert.Equal("drift", cell.GetAttribute("data-status"));
        Assert.Contains("rgba(211,47,47,1.00)", cell.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal(3, cut.FindAll("tr[data-heatmap-tenant='omega'] td[data-status='none']").Count);
        Assert.Equal("no_data", cut.Find("#use-case-tenants tr[data-tenant='omega'] [data-verdict]").GetAttribute("data-verdict"));
        Assert.Equal("drift", cut.Find("#use-case-tenants tr[data-tenant='alpha'] [data-verdict]").GetAttribute("data-verdict"));
        Assert.Equal("5 tenants: 3 drift · 1 healthy · 1 no data", cut.Find("#verdict-counts").TextContent);
    }

    [Fact]
    public async Task The_use_case_list_links_a_use_case_with_tenants_to_its_cross_tenant_view()
    {
        await TenantAsync("listed", null);

        var cut = Render<UseCaseList>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[data-use-case='{UseCase}'] a[data-use-case-monitoring]")), Wait);
        Assert.Equal("/use-cases/lead-scoring/monitoring", cut.Find($"[data-use-case='{UseCase}'] a[data-use-case-monitoring]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-use-case='churn-risk'] a[data-use-case-monitoring]"));
    }

    [Fact]
    public void An_unknown_use_case_says_so()
    {
        var cut = Render<UseCaseMonitoring>(p => p.Add(x => x.Key, "no-such-thing"));

        cut.WaitForAssertion(() => Assert.Contains("does not exist", cut.Find("#use-case-not-found").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public void Heatmap_colour_deepens_with_psi_and_is_grey_when_not_judged()
    {
        Assert.Equal("rgba(56,142,60,0.20)", DriftHeatmap.Fill(new FeaturePsi("a", 0, "ok")));
        Assert.Equal("rgba(245,124,0,0.36)", DriftHeatmap.Fill(new FeaturePsi("a", 0.1, "warning")));
        Assert.Equal("var(--mud-palette-lines-default)", DriftHeatmap.Fill(new FeaturePsi("a", null, "no_data")));
        Assert.Equal("var(--mud-palette-lines-default)", DriftHeatmap.Fill(null));
    }

    private async Task TenantAsync(string slug, string? status, params (string Feature, double Psi, string Status)[] features)
    {
        var created = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = $"Tenant {slug}", Slug = slug, Region = "us", UseCases = [UseCase] }, "test");
        Assert.True(created.IsOk, created.Message);
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var id = await db.Enrollments.Where(e => e.Tenant!.Slug == slug).Select(e => e.Id).SingleAsync();
        if (status is null)
        {
            return;
        }

        db.EnrollmentHealth.Add(new EnrollmentHealth { EnrollmentId = id, Drift = status, UpdatedAt = DateTime.UtcNow });
        var day = DateTime.UtcNow.Date;
        // An older window that must not be shown, and the latest one.
        foreach (var (windowDay, scale) in new[] { (day.AddDays(-1), 0.0), (day, 1.0) })
        {
            var window = new DriftWindow
            {
                Id = Guid.NewGuid(), EnrollmentId = id, Source = "batch", Day = windowDay, WindowStart = windowDay, Rows = 500,
                ModelVersionId = Guid.NewGuid(), Status = status, CheckedAt = DateTime.UtcNow,
            };
            window.Features.AddRange(features.Select(f => new DriftFeatureResult
            {
                EnrollmentId = id, Feature = f.Feature, Kind = "number", Status = scale == 0 ? "ok" : f.Status, Psi = f.Psi * scale, Rows = 500,
            }));
            window.Features.Add(new DriftFeatureResult { EnrollmentId = id, Feature = "(prediction)", Kind = "number", Status = "ok", Psi = 0.01, Rows = 500 });
            db.DriftWindows.Add(window);
        }

        await db.SaveChangesAsync();
        await Services.GetRequiredService<ControlPlane.Core.Monitoring.Health.HealthVerdictService>().UpdateAsync(id, CancellationToken.None);
    }
}
