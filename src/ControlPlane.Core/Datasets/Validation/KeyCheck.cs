using System.Globalization;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// Duplicate rows of one entity at one event time are blocking: the label of that entity at that moment is ambiguous.
/// The same key at different event times is normal (one row per snapshot). Without an event time, the key alone must be unique.
/// </summary>
internal static class KeyCheck
{
    public static CheckResult Run(ValidationInput input)
    {
        if (input.Mapped.EntityKey is not { } keyName || input.RowsOf(keyName) is not { } keys) return new(ValidationCodes.Duplicates, [], null);
        var times = input.Mapped.EventTime is { } timeName ? input.RowsOf(timeName) : null;
        var byTime = times?.Values is DateTime?[];

        var counts = new Dictionary<(string Key, DateTime? Time), int>();
        for (var row = 0; row < keys.Length; row++)
        {
            if (KeyText(keys.Values.GetValue(row)) is not { } key) continue;
            var at = byTime ? ((DateTime?[])times!.Values)[row] : null;
            counts[(key, at)] = counts.GetValueOrDefault((key, at)) + 1;
        }

        var duplicated = counts.Where(c => c.Value > 1).ToArray();
        var scope = byTime ? $"(entity key, event time) pair in '{keyName}', '{input.Mapped.EventTime}'" : $"entity key in '{keyName}'";
        if (duplicated.Length == 0) return CheckResult.Passed(ValidationCodes.Duplicates, $"Every {scope} is unique.");

        var extraRows = duplicated.Sum(d => (long)d.Value - 1);
        var examples = duplicated.OrderByDescending(d => d.Value).ThenBy(d => d.Key.Key, StringComparer.Ordinal)
            .Take(input.Options.MaxExamples)
            .Select(d => $"'{d.Key.Key}'{(byTime ? $" at {Figures.Quote(d.Key.Time)}" : "")} ({d.Value} rows)").ToArray();
        var what = byTime ? $"{Figures.Count(duplicated.Length)} (entity key, event time) pairs" : $"{Figures.Count(duplicated.Length)} entity keys";
        return new(ValidationCodes.Duplicates, [new(ValidationCodes.Duplicates, ValidationSeverity.Blocking, keyName,
            $"{what} appear more than once ({Figures.Count(extraRows)} extra rows), e.g. {string.Join(", ", examples)}; " +
            $"each must be unique in column '{keyName}'{(byTime ? $" at each time of '{input.Mapped.EventTime}'" : "")}.") { Examples = examples }], null);
    }

    private static string? KeyText(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
