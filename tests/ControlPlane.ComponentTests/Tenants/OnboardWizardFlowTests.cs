using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.DemoData;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Components.Tenants;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPlane.ComponentTests.Tenants;

/// <summary>
/// Issue 18: the wizard from nothing to a first retrain — the file becomes dataset version 1 at once, confident matches
/// are set and one column feeding two targets is warned of, the mapping is saved as rules and the data judged by them
/// before the retrain starts, with a link to its run.
/// </summary>
public sealed class OnboardWizardFlowTests : CoreTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public OnboardWizardFlowTests()
        : base(maxUploadBytes: 10_000_000)
    {
    }

    [Fact]
    public async Task The_wizard_takes_a_file_maps_its_columns_checks_it_and_starts_the_first_retrain()
    {
        const string Slug = "flow-co";
        var data = DemoDataGenerator.Generate("churn-risk", new DemoGenerationOptions { TenantSlug = Slug, Rows = 500 });
        var cut = Render<OnboardWizard>();
        cut.Find("#tenant-name").Input("Flow Co");
        cut.Find("#wizard-next").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-use-case]")));
        cut.Find("[data-use-case='churn-risk'] input").Change(true);
        cut.Find("#wizard-next").Click();
        await cut.Find("#wizard-create").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#onboard-result")));
        cut.Find("#wizard-next").Click();

        // First data: a wrong file is refused at the upload; the real one is dataset version 1 at once.
        cut.WaitForAssertion(() => Assert.NotNull(cut.FindComponent<InputFile>()));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("a,b\n1,2\n", "accounts.xlsx"));
        cut.WaitForAssertion(() => Assert.Contains("accounts.xlsx", cut.Find("#dataset-file-error").TextContent, StringComparison.Ordinal), Wait);
        using (var csv = new MemoryStream())
        {
            data.WriteCsv(csv);
            cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(csv.ToArray(), "accounts.csv"));
        }
        cut.WaitForAssertion(() => Assert.Contains("Stored as dataset version 1: 500 rows", cut.Find("#first-version").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(1, await db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == Slug));
        }

        // Map columns: the demo's names are known spellings, so every target is set, each to the file's true column.
        cut.Find("#wizard-next").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#mapping-table tbody tr")), Wait);
        var rows = cut.FindAll("#mapping-table tbody tr");
        Assert.All(rows, r => Assert.Equal("yes", r.GetAttribute("data-applied")));
        var seats = cut.Find("tr[data-target='seats']").GetAttribute("data-column")!;
        Assert.Equal(data.Mapping["seats"], seats);

        // The same column chosen for a second target is warned of; choosing again clears it.
        await ChooseAsync(cut, "nps_score", seats);
        cut.WaitForAssertion(() => Assert.Contains("feeds seats and nps_score", cut.Find($"[data-shared='{seats}']").TextContent, StringComparison.Ordinal));
        await ChooseAsync(cut, "nps_score", "");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-shared]")));
        Assert.Equal("chosen by you", cut.Find("tr[data-target='nps_score'] td:last-child").TextContent.Trim());

        // Save and check: the rules say what was mapped (nps_score left out) and the version is judged by them.
        await cut.Find("#wizard-next").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.NotEqual("unchecked", cut.Find("#validation-report").GetAttribute("data-outcome")), Wait);
        Assert.NotEqual("blocked", cut.Find("#validation-report").GetAttribute("data-outcome"));
        Assert.Contains("rules version 1", cut.Find("#validation-report").TextContent, StringComparison.Ordinal);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var rules = RuleJson.Parse((await db.FeatureRuleVersions.SingleAsync(v => v.Enrollment!.Tenant!.Slug == Slug)).Json);
            Assert.Contains("nps_score", rules.Drop);
            Assert.Equal(data.Mapping["account_id"], rules.EntityKey);
            Assert.Equal(seats, rules.Features.Single(f => f.Name == "seats").Source);
        }

        // The first model: the retrain starts and the wizard links to its run.
        cut.Find("#wizard-next").Click();
        await cut.Find("#start-first-retrain").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.StartsWith("/runs/", cut.Find("#first-run-link").GetAttribute("href"), StringComparison.Ordinal));
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var run = await db.PipelineRuns.SingleAsync(r => r.TenantSlug == Slug);
            Assert.Equal($"/runs/{run.Id}", cut.Find("#first-run-link").GetAttribute("href"));
            Assert.Equal("onboarding", run.Trigger);
        }
    }

    private static Task ChooseAsync(IRenderedComponent<OnboardWizard> cut, string target, string column)
    {
        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.UserAttributes.TryGetValue("id", out var id) && (string?)id == $"map-{target}");
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(column));
    }
}
