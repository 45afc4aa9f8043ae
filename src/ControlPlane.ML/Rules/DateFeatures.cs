namespace ControlPlane.ML.Rules;

/// <summary>
/// The numeric slots a date-time feature gives the model, each an ML.NET expression over the value's Unix seconds
/// (double), so the fitted rules stay saveable and serving computes them exactly as training did.
/// </summary>
public static class DateFeatures
{
    /// <summary>
    /// What a date-time gives when its rule names no parts: tuned for tree models scoring rows newer than any they were
    /// trained on (decision 0035). Calendar positions repeat, so a tree can learn them from the past; the elapsed days
    /// carry level shifts (the newest level applies to newer rows, as a tree cannot extrapolate).
    /// </summary>
    public static readonly IReadOnlyList<DatePart> DefaultParts =
        [DatePart.TimeOfDay, DatePart.DayOfWeek, DatePart.Weekend, DatePart.DayOfMonth, DatePart.DayOfYear, DatePart.Month, DatePart.Year, DatePart.Elapsed];

    /// <summary>The parts of rules compiled before the defaults above (featurization 1), kept so such versions reproduce.</summary>
    public static readonly IReadOnlyList<DatePart> FirstDefaultParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.Month];

    /// <summary>
    /// Featurization 2 (the current one) gives a date-time <see cref="DefaultParts"/> when its rule names none; 1 gave
    /// <see cref="FirstDefaultParts"/>. A model's report records the featurization it was trained under.
    /// </summary>
    public const int CurrentFeaturization = 2;

    /// <summary>The parts a date-time rule naming none gets under <paramref name="featurization"/>.</summary>
    public static IReadOnlyList<DatePart> DefaultsFor(int featurization) => featurization <= 1 ? FirstDefaultParts : DefaultParts;

    private const string Day = "86400";

    // Unix seconds → UTC calendar parts with floor arithmetic only. 1970-01-01 was a Thursday (ISO 4). Day, month and year use the proleptic Gregorian "days from civil" inversion: shift to eras of 400
    // years starting on 0000-03-01, find the year of the era, the day of that year (from March 1) and the month from
    // March = 0; the day of the calendar year adds January and February (and February 29) back.
    private const string CivilDate =
        "with(z = floor(x / 86400) + 719468, era = floor(z / 146097), doe = z - era * 146097, "
        + "yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365), "
        + "doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100)), mp = floor((5 * doy + 2) / 153), "
        + "m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2 ? 1 : 0), "
        + "leap = (y - 4 * floor(y / 4) == 0 and (y - 100 * floor(y / 100) != 0 or y - 400 * floor(y / 400) == 0)) ? 1 : 0, "
        + "jan = m >= 3 ? doy + 60 + leap : doy - 305; ";

    private const string Cycle = "2 * pi() * ";

    /// <summary>
    /// The slot names (appended to the feature's name) and expressions of one part under <paramref name="featurization"/>.
    /// The day of week is ISO 8601's from featurization 2 (Monday 1 … Sunday 7: the weekend is one end of the range, so
    /// a tree splits it off once — with Sunday 0 it lay at both ends, and on daily ridership a tree model lost 15 % RMSE
    /// to that alone); featurization 1 counted from Sunday = 0.
    /// </summary>
    public static IReadOnlyList<(string Name, string Lambda)> Outputs(DatePart part, int featurization = CurrentFeaturization) => part switch
    {
        DatePart.Hour => [("hour", $"x => with(s = x - {Day} * floor(x / {Day}); float(floor(s / 3600)))")],
        DatePart.TimeOfDay => [("timeOfDay", $"x => with(s = x - {Day} * floor(x / {Day}); float(s / 3600))")],
        DatePart.DayOfWeek when featurization <= 1 => [("dayOfWeek", $"x => with(d = floor(x / {Day}) + 4; float(d - 7 * floor(d / 7)))")],
        DatePart.DayOfWeek => [("dayOfWeek", $"x => with(d = floor(x / {Day}) + 3; float(d - 7 * floor(d / 7) + 1))")],
        DatePart.Weekend => [("weekend", $"x => with(d = floor(x / {Day}) + 4, w = d - 7 * floor(d / 7); float(w == 0 or w == 6 ? 1 : 0))")],
        DatePart.DayOfMonth => [("dayOfMonth", $"x => {CivilDate}float(doy - floor((153 * mp + 2) / 5) + 1))")],
        DatePart.DayOfYear => [("dayOfYear", $"x => {CivilDate}float(jan))")],
        DatePart.WeekOfYear => [("weekOfYear", $"x => {CivilDate}float(floor((jan - 1) / 7) + 1))")],
        DatePart.Month => [("month", $"x => {CivilDate}float(m))")],
        DatePart.Year => [("year", $"x => {CivilDate}float(y))")],
        DatePart.DayCycle => Circle("dayCycle", $"x / {Day}"),
        DatePart.WeekCycle => Circle("weekCycle", $"(x / {Day} + 4) / 7"),
        DatePart.YearCycle => Circle("yearCycle", $"x / {Day} / 365.2425"),
        DatePart.Elapsed => [("elapsed", $"x => float(x / {Day})")],
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown date part."),
    };

    /// <summary>Sine and cosine of a number of turns.</summary>
    private static IReadOnlyList<(string, string)> Circle(string name, string turns) =>
        [($"{name}.sin", $"x => float(sin({Cycle}({turns})))"), ($"{name}.cos", $"x => float(cos({Cycle}({turns})))")];
}
