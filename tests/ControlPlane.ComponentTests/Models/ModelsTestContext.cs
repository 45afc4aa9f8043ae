using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using MudBlazor;

namespace ControlPlane.ComponentTests.Models;

/// <summary>
/// The real services with churn-risk enrollments that have a demo dataset version, demo rules, and model versions registered
/// through the real registry with hand-built reports (the registry stores bytes and a report; no training is needed here).
/// </summary>
public abstract class ModelsTestContext : CoreTestContext
{
    protected const string UseCase = "churn-risk";

    protected ModelsTestContext()
        : base(maxUploadBytes: 10_000_000)
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
        Dialogs = Render<MudDialogProvider>();
    }

    /// <summary>Where dialogs render: outside the page under test, as in the app's layout.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; }

    /// <summary>Generous, because other test classes share the machine's two cores.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected ModelRegistry Registry => Services.GetRequiredService<ModelRegistry>();

    /// <summary>Enrolls the tenant with dataset version 1 and the demo rules as rules version 1; returns the demo rules.</summary>
    protected async Task<RuleSet> EnrollAsync(string tenant)
    {
        var created = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = tenant, Slug = tenant, Region = "us", UseCases = [UseCase] }, "test");
        Assert.True(created.IsOk, created.Message);
        var data = DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions { TenantSlug = tenant, Rows = 300 });
        using (var csv = new MemoryStream())
        {
            data.WriteCsv(csv);
            csv.Position = 0;
            var dataset = await Services.GetRequiredService<DatasetService>().CreateVersionAsync(tenant, UseCase, "accounts.csv", csv, "test");
            Assert.True(dataset.IsOk, dataset.Message);
        }

        var rules = await DemoRuleSet.ForAsync(data);
        await SaveRulesAsync(tenant, rules);
        return rules;
    }

    protected async Task<int> SaveRulesAsync(string tenant, RuleSet rules)
    {
        var saved = await Services.GetRequiredService<FeatureRuleService>().SaveAsync(tenant, UseCase, RuleJson.Write(rules), "test rules", "test");
        Assert.True(saved.IsOk, saved.Message);
        return saved.Value!.Number;
    }

    protected async Task<ModelVersionSummary> RegisterAsync(string tenant, ModelReport report, int rulesVersion = 1)
    {
        var result = await Registry.RegisterAsync(
            new ModelRegistration(tenant, UseCase, 1, rulesVersion, report, "test:retrain", Guid.NewGuid()),
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"artifact {tenant} {Guid.NewGuid()}")));
        Assert.True(result.IsOk, result.Message);
        return result.Value!;
    }
}
