using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>Formats raw cells and compiled values for <see cref="RulePreview"/>, invariant culture throughout.</summary>
internal static class PreviewCells
{
    public static string? Raw(RawTableColumn column, int row) => column.Values switch
    {
        double?[] numbers => numbers[row]?.ToString("R", CultureInfo.InvariantCulture),
        bool?[] flags => flags[row] is { } b ? (b ? "true" : "false") : null,
        DateTime?[] times => times[row]?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        string?[] texts => string.IsNullOrEmpty(texts[row]) ? null : texts[row],
        _ => null,
    };

    public static string Number(double value) =>
        double.IsNaN(value) ? "missing" : value.ToString("0.####", CultureInfo.InvariantCulture);

    public static Func<string> Feature(DataViewRowCursor cursor, CompiledFeature feature)
    {
        var schema = cursor.Schema;
        switch (feature.Type)
        {
            case FeatureType.Category:
                var text = Text(cursor, schema[feature.ValueColumn]);
                return () => $"{feature.Name}={text()}";
            case FeatureType.Text:
                var vector = cursor.GetGetter<VBuffer<float>>(schema[feature.OutputColumns[0]]);
                var buffer = default(VBuffer<float>);
                return () =>
                {
                    vector(ref buffer);
                    var count = buffer.GetValues().ToArray().Count(v => v != 0);
                    return $"{count} n-gram{(count == 1 ? "" : "s")}";
                };
            case FeatureType.DateTime:
                var parts = feature.OutputColumns
                    .Select((c, k) => (Name: feature.DateSlots[k], Read: RuleDryRun.NumberReader(cursor, schema[c])))
                    .ToList();
                return () => string.Join(", ", parts.Select(p => $"{p.Name}={Number(p.Read())}"));
            case FeatureType.Boolean:
                var flag = RuleDryRun.NumberReader(cursor, schema[feature.OutputColumns[0]]);
                return () => flag() switch { double.NaN => "missing", 0 => "false", _ => "true" };
            default:
                var number = RuleDryRun.NumberReader(cursor, schema[feature.OutputColumns[0]]);
                return () => Number(number());
        }
    }

    public static Func<string?> Label(DataViewRowCursor cursor, CompiledLabel label)
    {
        var known = cursor.GetGetter<bool>(cursor.Schema[label.KnownColumn]);
        var display = cursor.Schema[label.DisplayColumn];
        Func<string> read = display.Type switch
        {
            BooleanDataViewType => Flag(cursor, display),
            TextDataViewType => Text(cursor, display),
            _ => () => Number(RuleDryRun.NumberReader(cursor, display)()),
        };
        var isKnown = false;
        return () =>
        {
            known(ref isKnown);
            var value = read();
            return isKnown ? value : null;
        };
    }

    private static Func<string> Flag(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var get = cursor.GetGetter<bool>(column);
        var value = false;
        return () => { get(ref value); return value ? "true" : "false"; };
    }

    private static Func<string> Text(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        return () => { get(ref value); return value.ToString(); };
    }
}
