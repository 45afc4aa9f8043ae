using Microsoft.ML;

namespace ControlPlane.ML.Rules;

/// <summary>The first rows of a table through the fitted rules: each raw row beside the feature values it became.</summary>
public sealed record RulePreviewResult(
    IReadOnlyList<string> RawColumns,
    IReadOnlyList<string> Features,
    IReadOnlyList<RulePreviewRow> Rows);

/// <param name="Raw">Raw cells in <see cref="RulePreviewResult.RawColumns"/> order, formatted for display; null is missing.</param>
/// <param name="Features">Feature name → its value(s) formatted for display ("12.5", "industry=retail", "hour=14, dayOfWeek=2").</param>
/// <param name="Label">The label the rules derive, formatted; null when missing.</param>
public sealed record RulePreviewRow(IReadOnlyList<string?> Raw, IReadOnlyDictionary<string, string> Features, string? Label);

/// <summary>
/// Compiles the rules, fits them on the given rows (a sample of a few thousand, live while an analyst types) and shows
/// the first rows: raw cells beside each feature's readable value ("12.5", "industry=retail", "hour=14, dayOfWeek=2",
/// "42 n-grams") and the label.
/// </summary>
public static class RulePreview
{
    /// <exception cref="RuleSetException">The rules do not compile against the table's columns.</exception>
    public static RulePreviewResult Run(RuleSet effective, TaskType task, RawTable data, int rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var compiled = RuleCompiler.Compile(effective, task, data.Schema);
        var rawColumns = data.Columns.Select(c => c.Name).ToArray();
        var featureNames = compiled.Features.Select(f => f.Name).ToArray();
        if (data.RowCount == 0 || rows == 0)
        {
            return new RulePreviewResult(rawColumns, featureNames, []);
        }

        var fitted = compiled.Fit(data);
        var shown = Math.Min(rows, data.RowCount);
        var output = compiled.Context.Data.TakeRows(fitted.Transform(data), shown);
        var result = new List<RulePreviewRow>(shown);
        using (var cursor = output.OpenSerialCursor(output.Schema))
        {
            var features = compiled.Features.Select(f => (f.Name, Read: PreviewCells.Feature(cursor, f))).ToList();
            var label = PreviewCells.Label(cursor, compiled.Label);
            var row = 0;
            while (cursor.MoveNext())
            {
                var raw = data.Columns.Select(c => PreviewCells.Raw(c, row)).ToArray();
                var values = features.ToDictionary(f => f.Name, f => f.Read(), StringComparer.Ordinal);
                result.Add(new RulePreviewRow(raw, values, label()));
                row++;
            }
        }

        return new RulePreviewResult(rawColumns, featureNames, result);
    }
}
