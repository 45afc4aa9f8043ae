using Bunit;
using ControlPlane.Core.Tenants;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.Web.Components.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Runs;

public sealed class FanOutRunPageTests : RunsTestContext
{
    [Fact]
    public async Task A_fan_out_run_lists_its_children_live_and_reruns_only_the_failed_ones()
    {
        var tenants = Services.GetRequiredService<TenantService>();
        foreach (var slug in new[] { "acme", "globex" })
        {
            var created = await tenants.CreateAsync(new CreateTenantRequest { Name = slug, Slug = slug, Region = "us", UseCases = ["churn-risk"] }, "test");
            Assert.True(created.IsOk, created.Message);
        }

        var runs = Services.GetRequiredService<RunService>();
        var parent = (await runs.StartAsync(new StartRunRequest { Pipeline = DemoPipelines.DemoAll, UseCase = "churn-risk" }, "manual", "test")).Value!;
        var children = (await runs.GetAsync(parent.Id))!.Children.ToDictionary(c => c.Tenant!, c => c.Id);

        var cut = Render<RunPage>(p => p.Add(r => r.Id, parent.Id));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#child-runs tr[data-child]").Count));
        Assert.Contains("0 of 2 done", cut.Find("#run-children").TextContent, StringComparison.Ordinal);
        Assert.Contains("every tenant enrolled in churn-risk", cut.Find("#run-header").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("#rerun-failed").HasAttribute("disabled"));

        // A child's events reach its parent's page: acme is cancelled, then globex, and the parent fails.
        await Engine.CancelRunAsync(children["acme"], "test");
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("1 of 2 done · 0 succeeded · 1 failed", cut.Find("#run-children").TextContent, StringComparison.Ordinal);
            Assert.Single(cut.FindAll("[data-failed-child='acme']"));
        });
        await Engine.CancelRunAsync(children["globex"], "test");
        cut.WaitForAssertion(() => Assert.Equal("Failed", cut.Find("#run-state").TextContent.Trim()));

        await cut.Find("#rerun-failed").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Running", cut.Find("#run-state").TextContent.Trim());
            Assert.Contains("cp-state-queued", cut.Find("#child-runs tr[data-child='acme'] .cp-chip").ClassList);
            Assert.True(cut.Find("#rerun-failed").HasAttribute("disabled"));
        });
    }
}
