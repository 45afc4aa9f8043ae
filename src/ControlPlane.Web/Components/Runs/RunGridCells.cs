using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;

namespace ControlPlane.Web.Components.Runs;

/// <summary>What the runs grid draws for a run's column head and for each of its cells.</summary>
public static class RunGridCells
{
    /// <summary>The one row of a fan-out pipeline, which has no tasks of its own: its runs' overall state.</summary>
    public const string FanOutRow = "child runs";

    public static (string Css, string Color, string Tip)? Cell(RunGridColumn column, string row)
    {
        var run = column.Run;
        if (row == FanOutRow)
        {
            var tip = $"{run.ChildrenSucceeded} of {run.ChildCount} child runs succeeded, {run.ChildrenFailed} failed · {RunTip(run)}";
            return (RunStyle.Css(run.State), RunStyle.Color(run.State), tip);
        }

        if (!column.Tasks.TryGetValue(row, out var cell))
        {
            return null;
        }

        var progress = cell.State == TaskState.Running ? $" {RunStyle.Percent(cell.Progress)}%" : "";
        return (RunStyle.Css(cell.State), RunStyle.Color(cell.State), $"{row}: {RunStyle.Label(cell.State)}{progress} · {RunTip(run)}");
    }

    public static string RunTip(RunSummary run) =>
        $"{RunStyle.Label(run.State)} · {RunStyle.DateTime(run.StartedAt ?? run.CreatedAt)} UTC · {RunStyle.Duration(run.Duration)}"
        + (run.Tenant is null ? "" : $" · {run.Tenant}") + (run.UseCase is null ? "" : $"/{run.UseCase}");

    /// <summary>A column head's bar: 6 to 48 pixels, by the run's duration against the longest on screen.</summary>
    public static int BarHeight(RunSummary run, IReadOnlyList<RunGridColumn> columns)
    {
        var longest = columns.Max(c => c.Run.Duration?.TotalSeconds ?? 0);
        var seconds = run.Duration?.TotalSeconds ?? 0;
        return longest <= 0 ? 6 : 6 + (int)Math.Round(42 * seconds / longest);
    }
}
