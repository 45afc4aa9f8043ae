using Bunit;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Components.FeatureRules;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.FeatureRules;

/// <summary>The real services with one churn-risk enrollment, optionally a demo dataset, and the rules page for it.</summary>
public abstract class RulesPageTestContext : CoreTestContext
{
    protected const string Tenant = "acme-rules";
    protected const string UseCase = "churn-risk";

    protected RulesPageTestContext()
        : base(maxUploadBytes: 10_000_000)
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
    }

    /// <summary>How long a step waits for the page: generous, because other test classes share the machine's two cores.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected FeatureRuleService Rules => Services.GetRequiredService<FeatureRuleService>();

    protected async Task EnrollAsync(bool withDataset)
    {
        var result = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Acme Rules", Slug = Tenant, Region = "us", UseCases = [UseCase] }, "test");
        Assert.True(result.IsOk, result.Message);
        if (withDataset)
        {
            var data = DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions { TenantSlug = Tenant, Rows = 300 });
            using var csv = new MemoryStream();
            data.WriteCsv(csv);
            csv.Position = 0;
            var created = await Services.GetRequiredService<DatasetService>().CreateVersionAsync(Tenant, UseCase, "accounts.csv", csv, "test");
            Assert.True(created.IsOk, created.Message);
        }
    }

    protected IRenderedComponent<RulesPage> RenderPage()
    {
        var cut = Render<RulesPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#rules-toolbar")), Wait);
        return cut;
    }

    /// <summary>
    /// Replaces the overrides through the JSON view, as a user pasting rules would, and waits until the page took the
    /// edit: the draft differs from the saved rules, or the JSON's error is listed.
    /// </summary>
    protected static void EditJson(IRenderedComponent<RulesPage> cut, string json)
    {
        cut.Find("#view-json").Click();
        cut.WaitForElement("#rules-json", Wait).Change(json);
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("#rules-dirty").Count + cut.FindAll("#rules-json-errors").Count > 0), Wait);
    }

    protected static void ShowForm(IRenderedComponent<RulesPage> cut)
    {
        cut.Find("#view-form").Click();
        cut.WaitForElement("#rule-features", Wait);
    }

    protected static void Save(IRenderedComponent<RulesPage> cut, string comment)
    {
        cut.Find("#rules-comment").Change(comment);
        cut.WaitForAssertion(() => Assert.Equal(comment, cut.Find("#rules-comment").GetAttribute("value")), Wait);
        cut.Find("#rules-save").Click();
    }

    protected async Task SaveDirectlyAsync(RuleSet overrides, string comment)
    {
        var saved = await Rules.SaveAsync(Tenant, UseCase, RuleJson.Write(overrides), comment, "test");
        Assert.True(saved.IsOk, saved.Message);
    }
}
