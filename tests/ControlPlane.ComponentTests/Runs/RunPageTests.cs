using Bunit;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Engine;
using ControlPlane.Web.Components.Runs;

namespace ControlPlane.ComponentTests.Runs;

public sealed class RunPageTests : RunsTestContext
{
    [Fact]
    public async Task Cancel_works_while_the_run_is_live_and_clear_only_for_finished_tasks()
    {
        var run = await CreateDemoRunAsync();
        var cut = Render<RunPage>(p => p.Add(r => r.Id, run.Id));
        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("#task-table tbody tr[data-task]").Count));

        Assert.False(cut.Find("#cancel-run").HasAttribute("disabled"));
        Assert.All(cut.FindAll(".cp-clear"), b => Assert.True(b.HasAttribute("disabled")));

        await cut.Find("#cancel-run").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Cancelled", cut.Find("#run-state").TextContent.Trim());
            Assert.True(cut.Find("#cancel-run").HasAttribute("disabled"));
            Assert.All(cut.FindAll(".cp-clear"), b => Assert.False(b.HasAttribute("disabled")));
        });

        // Clearing a finished task reruns it and everything downstream: the run is live again.
        await cut.Find("#task-table tr[data-task='validate'] .cp-clear").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.False(cut.Find("#cancel-run").HasAttribute("disabled"));
            Assert.Contains("cp-state-pending", cut.Find("#task-table tr[data-task='evaluate'] .cp-chip").ClassList);
            Assert.Contains("cp-state-cancelled", cut.Find("#task-table tr[data-task='extract'] .cp-chip").ClassList);
        });
    }

    [Fact]
    public async Task A_progress_event_moves_the_bar_in_the_table_and_the_graph_without_a_query()
    {
        var run = await CreateDemoRunAsync();
        var cut = Render<RunPage>(p => p.Add(r => r.Id, run.Id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#dag-graph g[data-task='extract']")));

        Events.Publish(new RunEvent(run.Id, RunEvent.TaskProgress, "extract", TaskState.Running, 42, "step 4 of 10"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("42", cut.Find("#task-table tr[data-task='extract'] .cp-progress").GetAttribute("data-progress"));
            Assert.Contains("step 4 of 10", cut.Find("#task-table tr[data-task='extract']").TextContent, StringComparison.Ordinal);
            Assert.Equal("42", cut.Find("#dag-graph g[data-task='extract'] .cp-dag-progress").GetAttribute("data-progress"));
        });
        Assert.Contains("cp-state-running", cut.Find("#dag-graph g[data-task='extract']").ClassList);
    }

    [Fact]
    public async Task The_graph_draws_every_task_and_an_edge_per_dependency()
    {
        var run = await CreateDemoRunAsync();
        var cut = Render<RunPage>(p => p.Add(r => r.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("#dag-graph g[data-task]").Count));
        var edges = cut.FindAll("#dag-graph path.cp-dag-edge").Select(e => $"{e.GetAttribute("data-from")}>{e.GetAttribute("data-to")}").ToHashSet();
        Assert.Equal(
            new HashSet<string> { "extract>validate", "validate>featurize-numbers", "validate>featurize-text", "featurize-numbers>train", "featurize-text>train", "train>evaluate" },
            edges);
    }

    [Fact]
    public async Task A_viewer_sees_the_run_but_no_cancel_or_clear()
    {
        Auth.SetRoles(Roles.Viewer);
        Auth.SetPolicies(Policies.Read);
        var run = await CreateDemoRunAsync();

        var cut = Render<RunPage>(p => p.Add(r => r.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("#task-table tbody tr[data-task]").Count));
        Assert.Empty(cut.FindAll("#cancel-run"));
        Assert.Empty(cut.FindAll(".cp-clear"));
    }
}
