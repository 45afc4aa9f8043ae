using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Monitoring;

/// <summary>
/// What drift reads of a date-time feature: the calendar parts the model reads, never the raw time. Rows newer than
/// training always lie later in time, so the raw value, its elapsed days and its year move out of the training range in
/// every window of every tenant; those are not monitored. A calendar part is compared only over a window that spans its
/// whole cycle — the hour of day, and the day of week, over at least a week (one day's or one weekend's hours differ from
/// the week's for reasons nobody would call drift); the day of month over a month; month and day of year over a year —
/// because a shorter window holds only part of the cycle and would differ from the training mix by construction
/// (decision 0045).
/// </summary>
public static class DatePartDrift
{
    /// <summary>One monitored part: its name (appended to the feature's), words, cycle and value from Unix seconds.</summary>
    public sealed record Part(string Name, string Words, int CycleDays, Func<double, double> Of);

    /// <summary>Windows shorter than this compare no calendar part.</summary>
    public const int MinimumSpanDays = 7;

    private static readonly Part Hour = new("hour", "hour of day", 1, s => Math.Floor(SecondsOfDay(s) / 3600));
    private static readonly Part TimeOfDay = new("timeOfDay", "time of day (hours)", 1, s => SecondsOfDay(s) / 3600);
    private static readonly Part DayOfWeek = new("dayOfWeek", "day of week (Monday 1)", 7, s => Date(s).DayOfWeek == System.DayOfWeek.Sunday ? 7 : (int)Date(s).DayOfWeek);
    private static readonly Part Weekend = new("weekend", "weekend", 7, s => Date(s).DayOfWeek is System.DayOfWeek.Saturday or System.DayOfWeek.Sunday ? 1 : 0);
    private static readonly Part DayOfMonth = new("dayOfMonth", "day of month", 31, s => Date(s).Day);
    private static readonly Part DayOfYear = new("dayOfYear", "day of year", 366, s => Date(s).DayOfYear);
    private static readonly Part WeekOfYear = new("weekOfYear", "week of year", 366, s => Math.Floor((Date(s).DayOfYear - 1) / 7.0) + 1);
    private static readonly Part Month = new("month", "month", 366, s => Date(s).Month);

    /// <summary>The monitored parts of <paramref name="parts"/> (the rule's), each once: a cycle's sine and cosine are its position.</summary>
    public static IReadOnlyList<Part> Of(IReadOnlyList<DatePart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.Select(p => p switch
            {
                DatePart.Hour => Hour,
                DatePart.TimeOfDay or DatePart.DayCycle => TimeOfDay,
                DatePart.DayOfWeek or DatePart.WeekCycle => DayOfWeek,
                DatePart.Weekend => Weekend,
                DatePart.DayOfMonth => DayOfMonth,
                DatePart.DayOfYear or DatePart.YearCycle => DayOfYear,
                DatePart.WeekOfYear => WeekOfYear,
                DatePart.Month => Month,
                _ => null, // the year and the elapsed days are the time axis itself
            })
            .OfType<Part>().Distinct().ToList();
    }

    /// <summary>The name of a part's monitored column: "created.hour".</summary>
    public static string Column(string feature, Part part) => $"{feature}.{part.Name}";

    /// <summary>Whether a window of <paramref name="spanDays"/> days (null: not a window, e.g. a whole period) is compared on a part of this cycle.</summary>
    public static bool Covers(int? spanDays, int cycleDays) => spanDays is not { } span || span >= Math.Max(cycleDays, MinimumSpanDays);

    public static double[] Values(ReadOnlySpan<double> seconds, Part part)
    {
        var values = new double[seconds.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var s = seconds[i];
            values[i] = double.IsFinite(s) && Math.Abs(s) < 2.5e11 ? part.Of(s) : double.NaN;
        }

        return values;
    }

    private static double SecondsOfDay(double s) => s - 86400 * Math.Floor(s / 86400);

    private static DateTime Date(double s) => DateTime.UnixEpoch.AddSeconds(Math.Floor(s));
}
