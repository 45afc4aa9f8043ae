using System.Globalization;

namespace ControlPlane.Core.Common;

/// <summary>
/// One meaning for a range everywhere (decision 0051): <c>from</c> and <c>to</c> are both included. A day
/// (<c>yyyy-MM-dd</c>) stands for the whole UTC day, so <c>to=2026-01-31</c> keeps everything of 31 January; a
/// date-time (ISO 8601; UTC when it names no offset) stands for that instant. Queries read the range as
/// [<see cref="From"/>, <see cref="Until"/>): <see cref="Until"/> is the first moment after <c>to</c> (the next midnight
/// for a day, a microsecond later for an instant).
/// </summary>
public readonly record struct TimeRange(DateTime? From, DateTime? Until)
{
    /// <summary>What the API and the pages say about their ranges (OpenAPI summaries, hints under date fields).</summary>
    public const string Convention = "from and to are both included: a day (yyyy-MM-dd) is the whole UTC day, a date-time (ISO 8601) that instant";

    private static readonly string[] DayFormats = ["yyyy-MM-dd"];

    /// <summary>The range of whole UTC days <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static TimeRange Days(DateOnly? from, DateOnly? to) => new(
        from?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        to?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    /// <summary>
    /// Reads <c>from</c>/<c>to</c> query values; a value that is neither a day nor a date-time, or a <c>to</c> before
    /// <c>from</c>, is added to <paramref name="errors"/> under its field with the accepted forms.
    /// </summary>
    public static TimeRange Parse(string? from, string? to, ValidationErrors errors, string fromField = "from", string toField = "to")
    {
        var (start, _) = Read(from, fromField, errors);
        var (end, endIsDay) = Read(to, toField, errors);
        // An instant is kept to the microsecond, the finest time PostgreSQL stores (a tick later would round back onto it).
        var until = end is { } e ? (endIsDay ? e.AddDays(1) : e.AddMicroseconds(1)) : (DateTime?)null;
        if (start is { } s && until is { } u && u <= s)
        {
            errors.Add(toField, $"{toField} ({to}) is before {fromField} ({from}); {Convention}.");
        }
        return new(start, until);
    }

    public bool Contains(DateTime at) => (From is not { } f || at >= f) && (Until is not { } u || at < u);

    private static (DateTime? At, bool IsDay) Read(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, false);
        text = text.Trim();
        if (DateTime.TryParseExact(text, DayFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
        {
            return (DateTime.SpecifyKind(day, DateTimeKind.Utc), true);
        }
        if (text.Contains('T', StringComparison.Ordinal)
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            return (DateTime.SpecifyKind(at, DateTimeKind.Utc), false);
        }
        errors.Add(field, $"{field} must be a day (yyyy-MM-dd) or a date-time (ISO 8601, e.g. 2026-01-31T18:00:00Z); it was '{TextLimits.Clip(text, 40)}'. {Convention}.");
        return (null, false);
    }
}
