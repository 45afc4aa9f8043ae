using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Web.Components.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Training;

public sealed class RetrainButtonTests : CoreTestContext
{
    private const string Tenant = "acme-retrain";

    [Fact]
    public async Task Retrain_starts_a_retrain_run_of_the_enrollment_and_opens_its_page()
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
        await EnrollAsync();
        var cut = Render<RetrainButton>(p => p.Add(b => b.Tenant, Tenant).Add(b => b.UseCase, "churn-risk"));

        await cut.Find("#retrain").ClickAsync(new());

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/runs/[0-9a-f-]{36}$", navigation.Uri));
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var run = await db.PipelineRuns.SingleAsync();
        Assert.EndsWith($"/runs/{run.Id}", navigation.Uri, StringComparison.Ordinal);
        Assert.Equal((RetrainPipelines.Retrain, Tenant, "churn-risk", "admin@test.local"), (run.Pipeline, run.TenantSlug, run.UseCase, run.TriggeredBy));
    }

    [Fact]
    public async Task Retrain_all_starts_one_run_for_the_use_case()
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
        var cut = Render<RetrainButton>(p => p.Add(b => b.UseCase, "churn-risk"));

        await cut.Find("#retrain-all-churn-risk").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Matches("/runs/[0-9a-f-]{36}$", Services.GetRequiredService<NavigationManager>().Uri));
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var run = await db.PipelineRuns.SingleAsync();
        Assert.Equal((RetrainPipelines.RetrainAll, null, "churn-risk"), (run.Pipeline, run.TenantSlug, run.UseCase));
    }

    [Fact]
    public void A_viewer_sees_no_retrain_button()
    {
        Auth.SetPolicies(Policies.Read);

        var cut = Render<RetrainButton>(p => p.Add(b => b.Tenant, Tenant).Add(b => b.UseCase, "churn-risk"));

        Assert.Empty(cut.FindAll("#retrain"));
    }

    private async Task EnrollAsync()
    {
        var result = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Acme Retrain", Slug = Tenant, Region = "us", UseCases = ["churn-risk"] }, "test");
        Assert.True(result.IsOk, result.Message);
    }
}
