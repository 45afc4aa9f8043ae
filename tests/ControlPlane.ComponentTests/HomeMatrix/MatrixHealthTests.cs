using Bunit;
using ControlPlane.Core.Home;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.Web.Components.Home;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.HomeMatrix;

/// <summary>The verdict's judgement, and a home-matrix cell showing it in its word and colour with a link to its monitoring page.</summary>
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
    public void The_worst_aspect_decides_the_verdict_and_every_judged_aspect_is_evidence()
    {
        var health = HealthVerdict.Judge("drift", "pages_viewed PSI 0.41", "ok", null, "ok", "model 3 days old (max 30)", 30, Now.AddDays(-26), Now);

        Assert.Equal(Verdicts.Drift, health.Verdict);
        Assert.Equal("drift: pages_viewed PSI 0.41", health.Reason);
        Assert.Equal(["drift", "model-age", "decay", "sla"], health.Evidence.Select(c => c.Aspect));
        Assert.Equal(Verdicts.Watch, health.Evidence.Single(c => c.Aspect == "model-age").Verdict); // 26 of 30 days

        Assert.Equal(Verdicts.Failing, HealthVerdict.Judge(null, null, null, null, null, null, 30, Now.AddDays(-41), Now).Verdict);
        Assert.Equal(Verdicts.Failing, HealthVerdict.Judge("drift", null, "decay", null, "missed", "no batch score by 06:00", null, null, Now).Verdict);
        Assert.Equal(Verdicts.Decay, HealthVerdict.Judge("drift", null, "decay", null, "ok", null, null, null, Now).Verdict);
        Assert.Equal(Verdicts.Healthy, HealthVerdict.Judge("ok", null, null, null, null, null, 30, Now.AddDays(-1), Now).Verdict);
        Assert.Equal(Verdicts.NoData, HealthVerdict.Judge("no_data", null, null, null, null, null, null, Now, Now).Verdict);
        Assert.Equal(Verdicts.Watch, HealthVerdict.Judge("ok", null, "warning", "auc 5.5 % below test", null, null, null, null, Now).Verdict);
        Assert.Equal(Verdicts.Watch, HealthVerdict.Judge("warning", null, "ok", null, null, null, null, null, Now).Verdict); // rows written before verdicts
    }

    [Fact]
    public void A_stored_verdict_reads_back_as_it_was_judged()
    {
        var judged = HealthVerdict.Judge("watch", "plan PSI 0.30", "ok", null, "missed", "no batch score by 06:00", 30, Now.AddDays(-3), Now);

        var stored = HealthVerdict.Stored(judged.Verdict, judged.Reason, judged.EvidenceJson());

        Assert.Equal(Verdicts.Failing, stored.Verdict);
        Assert.Equal(judged.Reason, stored.Reason);
        Assert.Equal(judged.Evidence, stored.Evidence);
        Assert.Equal(HealthVerdict.NoData, HealthVerdict.Stored(null, null, null));
        Assert.Equal(Verdicts.Drift, HealthVerdict.Stored("drift", "r", "{not json").Verdict);
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
    [InlineData("drift", "drift", "Drift")]
    [InlineData("watch", "watch", "Watch")]
    [InlineData("ok", "healthy", "Healthy")]
    [InlineData(null, "no_data", "No data")]
    public void A_cell_shows_its_verdict_in_its_word_and_colour_and_links_to_its_monitoring(string? drift, string verdict, string word)
    {
        var health = HealthVerdict.Judge(drift, "pages_viewed PSI 0.41", null, null, null, null, null, null, Now);
        var cell = new MatrixCell("lead-scoring", Now, 1, null, health);

        var cut = Render<MatrixCellView>(p => p.Add(x => x.Cell, cell).Add(x => x.Slug, "acme"));

        Assert.Equal(verdict, cut.Find("[data-health]").GetAttribute("data-health"));
        Assert.Contains(Web.Components.Monitoring.VerdictView.Colour(verdict), cut.Find("[data-health]").GetAttribute("style"), StringComparison.Ordinal);
        var link = cut.Find("[data-health-link]");
        Assert.Equal("/tenants/acme/use-cases/lead-scoring/monitoring", link.GetAttribute("href"));
        Assert.Equal(word, link.TextContent.Trim());
        Assert.Equal(verdict, link.QuerySelector("[data-verdict]")!.GetAttribute("data-verdict"));
        Assert.Equal(Web.Components.Monitoring.VerdictView.Tooltip(health), link.QuerySelector("[data-verdict]")!.GetAttribute("title"));
    }

    [Fact]
    public void The_tooltip_names_each_aspect_its_figure_and_its_verdict()
    {
        var health = HealthVerdict.Judge("drift", "pages_viewed PSI 0.41", null, null, "missed", "no batch score by 06:00", 30, Now.AddDays(-41), Now);

        Assert.Equal(Verdicts.Failing, health.Verdict);
        Assert.Equal("SLA missed: no batch score by 06:00 (failing) · model 41 d old (max 30) (failing) · drift: pages_viewed PSI 0.41 (drift)",
            Web.Components.Monitoring.VerdictView.Tooltip(health));
    }
}
