using AngleSharp.Dom;
using Bunit;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.Web.Components.Runs;

namespace ControlPlane.ComponentTests.Runs;

public sealed class RunGridViewTests : RunsTestContext
{
    [Fact]
    public async Task Rows_are_the_tasks_in_dag_order_and_each_cell_is_coloured_by_its_task_state()
    {
        var live = await CreateDemoRunAsync();
        var cancelled = await CreateDemoRunAsync();
        await Engine.CancelRunAsync(cancelled.Id, "test");

        var cut = Render<RunGridView>(p => p.Add(g => g.Pipeline, "demo"));

        cut.WaitForAssertion(() => Assert.Equal(
            ["extract", "validate", "featurize-numbers", "featurize-text", "train", "evaluate"],
            cut.FindAll("#run-grid tbody tr").Select(r => r.GetAttribute("data-task"))));
        Assert.Equal(2, cut.FindAll("#run-grid thead th[data-run]").Count);
        AssertCell(Cell(cut, live.Id, "extract"), "cp-state-queued", "#90a4ae");
        AssertCell(Cell(cut, live.Id, "train"), "cp-state-pending", "#cfd8dc");
        AssertCell(Cell(cut, cancelled.Id, "evaluate"), "cp-state-cancelled", "#8e24aa");
        Assert.Equal($"/runs/{live.Id}", Cell(cut, live.Id, "extract").GetAttribute("href"));
    }

    [Fact]
    public async Task A_published_task_event_recolours_its_cell_without_a_query()
    {
        var run = await CreateDemoRunAsync();
        var cut = Render<RunGridView>(p => p.Add(g => g.Pipeline, "demo"));
        cut.WaitForAssertion(() => AssertCell(Cell(cut, run.Id, "extract"), "cp-state-queued", "#90a4ae"));

        // Nothing in the database changes: only the event can move the cell.
        Events.Publish(new RunEvent(run.Id, RunEvent.TaskChanged, "extract", TaskState.Running, 0));

        cut.WaitForAssertion(() => AssertCell(Cell(cut, run.Id, "extract"), "cp-state-running", "#1e88e5"));
        AssertCell(Cell(cut, run.Id, "validate"), "cp-state-pending", "#cfd8dc");
    }

    [Fact]
    public async Task The_engine_cancelling_a_run_and_starting_another_shows_up_live()
    {
        var run = await CreateDemoRunAsync();
        var cut = Render<RunGridView>(p => p.Add(g => g.Pipeline, "demo"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#run-grid thead th[data-run]")));

        await Engine.CancelRunAsync(run.Id, "test");
        var next = await CreateDemoRunAsync();

        cut.WaitForAssertion(() =>
        {
            AssertCell(Cell(cut, run.Id, "extract"), "cp-state-cancelled", "#8e24aa");
            AssertCell(Cell(cut, next.Id, "extract"), "cp-state-queued", "#90a4ae");
            Assert.Contains("cp-state-cancelled", cut.Find($"#run-grid th[data-run='{run.Id}'] .cp-run-bar").ClassList);
        });
        // Oldest run on the left, newest on the right.
        Assert.Equal([run.Id.ToString(), next.Id.ToString()], cut.FindAll("#run-grid thead th[data-run]").Select(h => h.GetAttribute("data-run")));
    }

    private static IElement Cell(IRenderedComponent<RunGridView> cut, Guid runId, string task) =>
        cut.Find($"#run-grid tr[data-task='{task}'] td[data-run='{runId}'] a.cp-square");

    private static void AssertCell(IElement cell, string css, string colour)
    {
        Assert.Contains(css, cell.ClassList);
        Assert.Contains($"background:{colour}", cell.GetAttribute("style"), StringComparison.Ordinal);
    }
}
