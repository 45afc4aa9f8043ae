using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Executor.Engine;
using ControlPlane.Web.Components.Monitoring;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>"Check now": progress while the monitor run runs, then when it finished — also when it finished before the button heard of it.</summary>
public sealed class DriftCheckButtonTests : CoreTestContext
{
    private const string UseCase = "lead-scoring";

    public DriftCheckButtonTests()
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
        DefaultWaitTimeout = TimeSpan.FromSeconds(5);
    }

    [Fact]
    public async Task Progress_shows_while_the_run_runs_then_the_time_it_finished()
    {
        await EnrolledAsync("acme");
        var finished = 0;
        var cut = Render<DriftCheckButton>(p => p.Add(b => b.Tenant, "acme").Add(b => b.UseCase, UseCase).Add(b => b.Everything, true)
            .Add(b => b.Finished, EventCallback.Factory.Create(this, () => finished++)));

        await cut.Find("#check-drift").ClickAsync(new());

        cut.WaitForElement("#drift-check-progress");
        Assert.True(cut.Find("#check-drift").HasAttribute("disabled"));
        var run = await MonitorRunAsync();
        Services.GetRequiredService<RunEvents>().Publish(new RunEvent(run, RunEvent.RunChanged, RunState: RunState.Succeeded));
        cut.WaitForAssertion(() => Assert.StartsWith("Checked at ", cut.Find("#drift-check-done").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#drift-check-progress"));
        Assert.Equal(1, finished);
    }

    [Fact]
    public async Task A_run_that_finished_before_the_button_knew_its_id_is_not_shown_as_running_forever()
    {
        await EnrolledAsync("quick");
        // The run finishes (stored and announced) the moment it is created: before the start returned its id to the button,
        // so the button drops that last event.
        var events = Services.GetRequiredService<RunEvents>();
        var dbs = Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        using var finishAtOnce = events.Subscribe(e =>
        {
            if (e.Kind == RunEvent.RunChanged && e.RunState == RunState.Queued)
            {
                using var db = dbs.CreateDbContext();
                db.PipelineRuns.Where(r => r.Id == e.RunId).ExecuteUpdate(u => u.SetProperty(r => r.State, RunState.Succeeded));
                events.Publish(new RunEvent(e.RunId, RunEvent.RunChanged, RunState: RunState.Succeeded));
            }
        });
        var cut = Render<DriftCheckButton>(p => p.Add(b => b.Tenant, "quick").Add(b => b.UseCase, UseCase).Add(b => b.Everything, true));

        await cut.Find("#check-drift").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.StartsWith("Checked at ", cut.Find("#drift-check-done").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#drift-check-progress"));
        Assert.False(cut.Find("#check-drift").HasAttribute("disabled"));
    }

    private async Task EnrolledAsync(string slug)
    {
        var created = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = $"Tenant {slug}", Slug = slug, Region = "us", UseCases = [UseCase] }, "test");
        Assert.True(created.IsOk, created.Message);
    }

    private async Task<Guid> MonitorRunAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.PipelineRuns.Where(r => r.Pipeline == "monitor").Select(r => r.Id).SingleAsync();
    }
}
