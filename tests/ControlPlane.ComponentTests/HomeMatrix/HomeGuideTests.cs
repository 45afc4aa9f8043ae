using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Components.Home;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPlane.ComponentTests.HomeMatrix;

/// <summary>Issue 18: the home page as a guide — what to do first when empty, counts per verdict, worst health first.</summary>
public sealed class HomeGuideTests : CoreTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void With_no_tenant_the_page_says_what_to_do_first()
    {
        Auth.SetPolicies(Policies.Read, Policies.Administer);
        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#home-empty")), Wait);
        Assert.Equal("/tenants/new", cut.Find("#start-onboarding").GetAttribute("href"));
        Assert.Equal(4, cut.FindAll("#home-empty li").Count);
        Assert.Empty(cut.FindAll("#home-matrix"));

        // Someone who cannot onboard is told who can.
        Auth.SetPolicies(Policies.Read);
        var viewer = Render<Home>();
        viewer.WaitForAssertion(() => Assert.Contains("ask one to onboard the first tenant", viewer.Find("#ask-admin").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(viewer.FindAll("#start-onboarding"));
    }

    [Fact]
    public async Task Counts_per_verdict_cover_every_enrollment_and_worst_health_comes_first()
    {
        // Names in the opposite order of their health, so sorting by name and by health differ.
        await TenantAsync("aaa-healthy", Verdicts.Healthy);
        await TenantAsync("bbb-unjudged", verdict: null);
        await TenantAsync("ccc-drifting", Verdicts.Drift);
        await TenantAsync("ddd-failing", Verdicts.Failing);

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#health-counts")), Wait);
        int Count(string verdict) => int.Parse(cut.Find($"#health-counts [data-verdict='{verdict}']").GetAttribute("data-count")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((1, 0, 1, 0, 1, 1), (Count(Verdicts.Healthy), Count(Verdicts.Watch), Count(Verdicts.Drift), Count(Verdicts.Decay), Count(Verdicts.Failing), Count(Verdicts.NoData)));
        Assert.Equal(["aaa-healthy", "bbb-unjudged", "ccc-drifting", "ddd-failing"], Rows(cut));

        var sort = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.UserAttributes.TryGetValue("id", out var id) && (string?)id == "matrix-sort");
        await cut.InvokeAsync(() => sort.Instance.ValueChanged.InvokeAsync("health"));

        cut.WaitForAssertion(() => Assert.Equal(["ddd-failing", "ccc-drifting", "aaa-healthy", "bbb-unjudged"], Rows(cut)), Wait);
    }

    private static string[] Rows(IRenderedComponent<Home> cut) =>
        cut.FindAll("#home-matrix tr[data-tenant]").Select(r => r.GetAttribute("data-tenant")!).ToArray();

    private async Task TenantAsync(string slug, string? verdict)
    {
        var created = await Services.GetRequiredService<TenantService>()
            .CreateAsync(new CreateTenantRequest { Name = slug, Slug = slug, Region = "us", UseCases = ["churn-risk"] }, "test");
        Assert.True(created.IsOk, created.Message);
        if (verdict is null) return;
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var enrollment = await db.Enrollments.SingleAsync(e => e.Tenant!.Slug == slug);
        db.EnrollmentHealth.Add(new EnrollmentHealth { EnrollmentId = enrollment.Id, Verdict = verdict, VerdictReason = verdict });
        await db.SaveChangesAsync();
    }
}
