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
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#rules-toolbar")));
        return cut;
    }

    /// <summary>Replaces the overrides through the JSON view, as a user pasting rules would.</summary>
    protected static void EditJson(IRenderedComponent<RulesPage> cut, string json)
    {
        cut.Find("#view-json").Click();
        cut.Find("#rules-json").Change(json);
    }

    protected static void Save(IRenderedComponent<RulesPage> cut, string comment)
    {
        cut.Find("#rules-comment").Change(comment);
        cut.Find("#rules-save").Click();
    }

    protected async Task SaveDirectlyAsync(RuleSet overrides, string comment)
    {
        var saved = await Rules.SaveAsync(Tenant, UseCase, RuleJson.Write(overrides), comment, "test");
        Assert.True(saved.IsOk, saved.Message);
    }
}
