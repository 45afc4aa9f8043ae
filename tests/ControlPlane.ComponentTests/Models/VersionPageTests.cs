using Bunit;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Executor.Runs;
using Microsoft.Extensions.DependencyInjection;
using ControlPlane.Web.Components.Models;

namespace ControlPlane.ComponentTests.Models;

public sealed class VersionPageTests : ModelsTestContext
{
    private const string Tenant = "acme-version";

    [Fact]
    public async Task The_page_shows_lineage_fingerprint_curves_and_contributions_coloured_by_sign()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));

        var cut = RenderVersion(1);

        Assert.Contains("v1", cut.Find("#lineage tr[data-lineage='dataset']").TextContent, StringComparison.Ordinal);
        Assert.Contains("300 rows", cut.Find("#lineage tr[data-lineage='dataset']").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/tenants/{Tenant}/use-cases/churn-risk/rules", cut.Find("#lineage tr[data-lineage='rules'] a").GetAttribute("href"));
        Assert.Contains("leaves=20", cut.Find("#lineage tr[data-lineage='hyperparameters']").TextContent, StringComparison.Ordinal);
        Assert.Equal("fp-auc-0.8", cut.Find("#fingerprint").TextContent);
        Assert.Single(cut.FindAll("#roc-chart polyline"));
        Assert.Equal(VersionColors.Positive, cut.Find("#contribution-chart [data-bar-group='tenure'] rect").GetAttribute("fill"));
        Assert.Equal(VersionColors.Negative, cut.Find("#contribution-chart [data-bar-group='plan'] rect").GetAttribute("fill"));
        Assert.NotNull(cut.Find("#candidates-table tr.cp-diff-cell[data-candidate='fasttree']"));
        Assert.Empty(cut.FindAll("[data-reproduction]"));
    }

    [Fact]
    public async Task A_search_the_budget_cut_short_says_so_under_the_candidates_and_a_full_one_says_nothing()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        const string note = "Search budget 20 s: 2 of 9 candidates scored; 1 stopped when the budget ran out during its folds, 6 not started.";
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.81) with { SearchNote = note });

        Assert.Empty(RenderVersion(1).FindAll("#search-note"));
        Assert.Equal(note, RenderVersion(2).Find("#search-note").TextContent.Trim());
    }

    [Fact]
    public async Task Versions_trained_the_same_way_are_listed_as_reproduced_or_not_by_their_fingerprints()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.81));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8, leaves: 63));

        var cut = RenderVersion(1);

        Assert.Equal(["v3", "v2"], cut.FindAll("[data-reproduction]").Select(e => e.GetAttribute("data-reproduction")));
        Assert.Equal("true", cut.Find("[data-reproduction='v2']").GetAttribute("data-same"));
        Assert.Equal("false", cut.Find("[data-reproduction='v3']").GetAttribute("data-same"));
    }

    [Fact]
    public async Task Stored_reproductions_are_listed_with_their_outcome_and_the_reproduce_button_starts_a_run_and_links_to_it()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        var (same, differs) = (Guid.NewGuid(), Guid.NewGuid());
        await SaveReproductionAsync(new ReproductionOutcome(1, true, "fp-auc-0.8", "fp-auc-0.8", new Dictionary<string, double> { ["auc"] = 0 },
            new DateTime(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc), same));
        await SaveReproductionAsync(new ReproductionOutcome(1, false, "fp-auc-0.8", "fp-other", new Dictionary<string, double> { ["auc"] = -0.0125 },
            new DateTime(2026, 11, 21, 9, 0, 0, DateTimeKind.Utc), differs));

        var cut = RenderVersion(1);

        Assert.Equal([differs.ToString(), same.ToString()], cut.FindAll("[data-reproduction-run]").Select(e => e.GetAttribute("data-reproduction-run")));
        var identical = cut.Find($"[data-reproduction-run='{same}']");
        Assert.Equal("true", identical.GetAttribute("data-identical"));
        Assert.Contains("Identical ✓ · 2026-11-20 08:30 UTC", identical.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/runs/{same}", identical.QuerySelector("a")!.GetAttribute("href"));
        var different = cut.Find($"[data-reproduction-run='{differs}']");
        Assert.Equal("false", different.GetAttribute("data-identical"));
        Assert.Contains("Differs ✗", different.TextContent, StringComparison.Ordinal);
        Assert.Contains("largest change: auc -0.0125", different.TextContent, StringComparison.Ordinal);

        cut.Find("#reproduce").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("/runs/", cut.Find("#reproduce-run").GetAttribute("href"), StringComparison.Ordinal), Wait);
        var runId = Guid.Parse(cut.Find("#reproduce-run").GetAttribute("href")!["/runs/".Length..]);
        var run = await Services.GetRequiredService<RunService>().GetAsync(runId);
        Assert.Equal((ReproducePipeline.Name, Tenant, "1"), (run!.Run.Pipeline, run.Run.Tenant, run.Parameters[ReproducePipeline.VersionParameter]));
    }

    [Fact]
    public async Task Viewers_see_the_reproductions_but_no_reproduce_button()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        await SaveReproductionAsync(new ReproductionOutcome(1, true, "fp-auc-0.8", "fp-auc-0.8", new Dictionary<string, double>(), DateTime.UtcNow, Guid.NewGuid()));
        Auth.SetRoles("Viewer");
        Auth.SetPolicies(Policies.Read);

        var cut = RenderVersion(1);

        Assert.Single(cut.FindAll("[data-reproduction-run]"));
        Assert.Empty(cut.FindAll("#reproduce"));
    }

    [Fact]
    public async Task A_version_that_does_not_exist_is_named()
    {
        await EnrollAsync(Tenant);

        var cut = Render<VersionPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase).Add(x => x.Number, 7));

        cut.WaitForAssertion(() => Assert.Contains("no version 7", cut.Find("#version-error").TextContent, StringComparison.Ordinal), Wait);
    }

    private async Task SaveReproductionAsync(ReproductionOutcome outcome)
    {
        var saved = await Registry.SaveReproductionAsync(Tenant, UseCase, outcome);
        Assert.True(saved.IsOk, saved.Message);
    }

    private IRenderedComponent<VersionPage> RenderVersion(int number)
    {
        var cut = Render<VersionPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase).Add(x => x.Number, number));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#lineage")), Wait);
        return cut;
    }
}
