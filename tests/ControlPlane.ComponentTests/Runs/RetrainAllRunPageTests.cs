using Bunit;
using ControlPlane.Core.Tenants;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.Web.Components.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Runs;

public sealed class RetrainAllRunPageTests : RunsTestContext
{
    [Fact]
    public async Task A_run_that_fans_out_from_a_task_shows_its_tasks_and_its_children()
    {
        var tenants = Services.GetRequiredService<TenantService>();
        foreach (var slug in new[] { "initech", "umbrella" })
        {
            var created = await tenants.CreateAsync(new CreateTenantRequest { Name = slug, Slug = slug, Region = "eu", UseCases = ["lead-scoring"] }, "test");
            Assert.True(created.IsOk, created.Message);
        }

        var runs = Services.GetRequiredService<RunService>();
        var run = (await runs.StartAsync(new StartRunRequest { Pipeline = RetrainPipelines.RetrainAll, UseCase = "lead-scoring" }, "manual", "test")).Value!;
        Assert.Equal(2, await Engine.AddChildrenAsync(run.Id, RetrainPipelines.Retrain, "test"));
        Assert.Equal(2, await Engine.AddChildrenAsync(run.Id, RetrainPipelines.Retrain, "test")); // a retried task adds no more

        var cut = Render<RunPage>(p => p.Add(r => r.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#child-runs tr[data-child]").Count));
        Assert.Contains(RetrainTenantsTask.Name, cut.Find("#task-table").TextContent, StringComparison.Ordinal);
        Assert.Contains("every tenant enrolled in lead-scoring", cut.Find("#run-header").TextContent, StringComparison.Ordinal);
    }
}
