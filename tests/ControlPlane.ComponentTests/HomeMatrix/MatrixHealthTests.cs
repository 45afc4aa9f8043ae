using Bunit;
using ControlPlane.Core.Home;
using ControlPlane.Web.Components.Home;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.HomeMatrix;

/// <summary>A home-matrix cell coloured by its health, with the causes in its tooltip and a link to its monitoring page.</summary>
public sealed class MatrixHealthTests : BunitContext, IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    public MatrixHealthTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public void The_worst_aspect_decides_the_level_and_every_judged_aspect_is_a_cause()
    {
        var health = MatrixHealth.Of("drift", "pages_viewed PSI 0.41", "ok", null, "ok", "model 3 days old (max 30)", 30, Now.AddDays(-26), Now);

        Assert.Equal(HealthLevel.Bad, health.Level);
        Assert.Equal(["drift: pages_viewed PSI 0.41"], health.Worst.Select(c => c.Text));
        Assert.Equal(["drift", "model-age", "decay", "sla"], health.Causes.Select(c => c.Aspect));
        Assert.Equal(HealthLevel.Warning, health.Causes.Single(c => c.Aspect == "model-age").Level); // 26 of 30 days

        Assert.Equal(HealthLevel.Bad, MatrixHealth.Of(null, null, null, null, null, null, 30, Now.AddDays(-41), Now).Level);
        Assert.Equal(HealthLevel.Ok, MatrixHealth.Of("ok", null, null, null, null, null, 30, Now.AddDays(-1), Now).Level);
        Assert.Equal(HealthLevel.Unknown, MatrixHealth.Of("no_data", null, null, null, null, null, null, Now, Now).Level);
        Assert.Equal(HealthLevel.Warning, MatrixHealth.Of("ok", null, "warning", "auc 5.5 % below test", null, null, null, null, Now).Level);
    }

    [Fact]
    public void A_version_the_gate_did_not_promote_is_shown_awaiting_review_with_a_suspected_leak_named_and_the_data_counted()
    {
        var leaking = new MatrixCell("churn-risk", Now, 0, null, null, DatasetVersions: 2, Waiting: new MatrixWaiting(1, LeakSuspected: true));

        var cut = Render<MatrixCellView>(p => p.Add(x => x.Cell, leaking).Add(x => x.Slug, "acme"));

        var waiting = cut.Find("[data-waiting='1']");
        Assert.Equal("/tenants/acme/use-cases/churn-risk/models/1", waiting.GetAttribute("href"));
        Assert.Equal("v1 awaiting review · leak suspected", waiting.TextContent.Trim());
        Assert.Equal("true", waiting.GetAttribute("data-leak"));
        Assert.Empty(cut.FindAll("a:contains('no model yet')"));
        Assert.Equal("2 dataset versions", cut.Find("[data-data]").TextContent.Trim());

        // Beside a champion, a newer version that stays challenger is shown under it.
        var champion = new MatrixChampion(3, false, Now.AddDays(-2), "auc", 0.81, true);
        var cell = new MatrixCell("churn-risk", Now, 0, champion, null, 4, new MatrixWaiting(4, LeakSuspected: false));
        cut = Render<MatrixCellView>(p => p.Add(x => x.Cell, cell).Add(x => x.Slug, "acme"));
        Assert.Equal("v4 awaiting review", cut.Find("[data-waiting='4']").TextContent.Trim());
        Assert.Equal("3", cut.Find("[data-champion]").GetAttribute("data-champion"));

        // Nothing at all: no model, no data.
        cut = Render<MatrixCellView>(p => p.Add(x => x.Cell, new MatrixCell("churn-risk", Now, 0)).Add(x => x.Slug, "acme"));
        Assert.Equal("no data", cut.Find("[data-data]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-waiting]"));
    }

    [Theory]
    [InlineData("drift", "bad", "drift")]
    [InlineData("warning", "warning", "drift")]
    [InlineData("ok", "ok", "healthy")]
    [InlineData(null, "unknown", "not checked yet")]
    public void A_cell_is_coloured_by_its_health_and_links_to_its_monitoring(string? drift, string level, string label)
    {
        var health = MatrixHealth.Of(drift, "pages_viewed PSI 0.41", null, null, null, null, null, null, Now);
        var cell = new MatrixCell("lead-scoring", Now, 1, null, health);

        var cut = Render<MatrixCellView>(p => p.Add(x => x.Cell, cell).Add(x => x.Slug, "acme"));

        Assert.Equal(level, cut.Find("[data-health]").GetAttribute("data-health"));
        var link = cut.Find("[data-health-link]");
        Assert.Equal("/tenants/acme/use-cases/lead-scoring/monitoring", link.GetAttribute("href"));
        Assert.Equal(label, link.TextContent.Trim());
        Assert.Equal(HealthView.Tooltip(health), link.GetAttribute("title"));
    }

    [Fact]
    public void The_tooltip_names_each_cause_and_its_figure()
    {
        var health = MatrixHealth.Of("drift", "pages_viewed PSI 0.41", null, null, "missed", "no batch score by 06:00", 30, Now.AddDays(-41), Now);

        Assert.Equal("drift · sla · model age", HealthView.Label(health));
        Assert.Equal("drift: pages_viewed PSI 0.41 · SLA missed: no batch score by 06:00 · model 41 d old (max 30) — open monitoring", HealthView.Tooltip(health));
    }
}
