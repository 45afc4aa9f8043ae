using System.Globalization;
using System.Text.RegularExpressions;
using ControlPlane.Core.Pipelines;

namespace ControlPlane.Web.Components.Runs;

/// <summary>How run and task states look on every runs page: one colour per state, so grid, graph and chips agree.</summary>
public static partial class RunStyle
{
    public static string Color(TaskState state) => state switch
    {
        TaskState.Pending => "#cfd8dc",
        TaskState.Queued => "#90a4ae",
        TaskState.Dispatched => "#b39a78",
        TaskState.Running => "#1e88e5",
        TaskState.UpForRetry => "#f9a825",
        TaskState.Succeeded => "#2e7d32",
        TaskState.Failed => "#d32f2f",
        TaskState.UpstreamFailed => "#ef6c00",
        TaskState.Cancelled => "#8e24aa",
        _ => "#9e9e9e",
    };

    public static string Color(RunState state) => Color(AsTask(state));

    public static string Color(AttemptState state) => Color(AsTask(state));

    /// <summary>Text on a filled background of the state's colour.</summary>
    public static string TextColor(TaskState state) => state is TaskState.Pending ? "#37474f" : "#ffffff";

    public static string TextColor(RunState state) => TextColor(AsTask(state));

    public static string TextColor(AttemptState state) => TextColor(AsTask(state));

    /// <summary>A class per state (e.g. <c>cp-state-upstream-failed</c>) for tests and styles.</summary>
    public static string Css(TaskState state) => "cp-state-" + Kebab(state.ToString());

    public static string Css(RunState state) => "cp-state-" + Kebab(state.ToString());

    public static string Css(AttemptState state) => "cp-state-" + Kebab(state.ToString());

    /// <summary>"Up for retry", "Upstream failed", "Succeeded".</summary>
    public static string Label(TaskState state) => Sentence(state.ToString());

    public static string Label(RunState state) => Sentence(state.ToString());

    public static string Label(AttemptState state) => Sentence(state.ToString());

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { TotalSeconds: < 60 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0} s"),
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} m {d.Seconds:00} s",
        { } d => $"{(int)d.TotalHours} h {d.Minutes:00} m",
    };

    public static string Time(DateTime? utc) => utc is { } t ? t.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    public static string DateTime(DateTime? utc) => utc is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double percent) => percent.ToString("0", CultureInfo.InvariantCulture);

    private static TaskState AsTask(RunState state) => state switch
    {
        RunState.Queued => TaskState.Queued,
        RunState.Running => TaskState.Running,
        RunState.Succeeded => TaskState.Succeeded,
        RunState.Failed => TaskState.Failed,
        _ => TaskState.Cancelled,
    };

    private static TaskState AsTask(AttemptState state) => state switch
    {
        AttemptState.Dispatched => TaskState.Dispatched,
        AttemptState.Running => TaskState.Running,
        AttemptState.Succeeded => TaskState.Succeeded,
        AttemptState.Cancelled => TaskState.Cancelled,
        AttemptState.Interrupted => TaskState.UpForRetry,
        _ => TaskState.Failed,
    };

    private static string Kebab(string name) => Words().Replace(name, "-$1").ToLowerInvariant();

    private static string Sentence(string name)
    {
        var words = Words().Replace(name, " $1").ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}
