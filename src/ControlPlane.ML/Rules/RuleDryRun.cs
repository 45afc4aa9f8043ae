using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Fits the compiled rules on real rows to find what only data shows: no rows, a label that is missing everywhere or
/// has a single value (a binary or multiclass label needs two classes, a regression label two distinct numbers), a
/// binary label read from numbers that are not 0/1, features whose column is empty, and expressions that give only
/// missing values.
/// </summary>
public static class RuleDryRun
{
    public static IReadOnlyList<RuleError> Check(RuleSet effective, TaskType task, RawTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var errors = RuleChecker.Check(effective, task, data.Schema);
        if (errors.Count > 0)
        {
            return errors;
        }

        if (data.RowCount == 0)
        {
            return [new RuleError("data", "The dataset has no rows.")];
        }

        var compiled = RuleCompiler.Compile(effective, task, data.Schema);
        IDataView output;
        try
        {
            output = compiled.Fit(data).Transform(data);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // ML.NET refuses some data outright; say so instead of failing the caller.
            return [new RuleError("data", $"The rules could not be fitted on these rows: {ex.Message}")];
        }

        var result = new List<RuleError>();
        var rows = Count(data.RowCount);
        CheckLabel(compiled, output, effective.Label!, rows, result);
        foreach (var rule in effective.Features.Where(f => f.Expression is null))
        {
            var source = data.Columns.First(c => c.Name == (rule.Source ?? rule.Name));
            if (IsEmpty(source.Values))
            {
                result.Add(RuleError.Feature(rule.Name, "source", $"Column '{source.Name}' is empty in all {rows} rows."));
            }
        }

        foreach (var feature in compiled.Features.Where(f => f.ExpressionColumn is not null))
        {
            if (!AnyValue(output, feature.ExpressionColumn!))
            {
                result.Add(RuleError.Feature(feature.Name, "expression", $"The expression gives a missing value in all {rows} rows."));
            }
        }

        return result;
    }

    private static void CheckLabel(CompiledRules compiled, IDataView output, LabelRule rule, string rows, List<RuleError> errors)
    {
        var label = compiled.Label;
        var path = rule.Expression is not null ? "label.expression" : "label.source";
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var known = output.Schema[label.KnownColumn];
        var display = output.Schema[label.DisplayColumn];
        using (var cursor = output.OpenSerialCursor([known, display]))
        {
            var isKnown = cursor.GetGetter<bool>(known);
            var read = DisplayReader(cursor, display);
            var flag = false;
            while (cursor.MoveNext())
            {
                isKnown(ref flag);
                if (flag && read() is { } value)
                {
                    values[value] = values.GetValueOrDefault(value) + 1;
                }
            }
        }

        if (rule.Source is { } source && compiled.Task == TaskType.Binary
            && compiled.RawColumns.First(c => c.Name == source).Type == FeatureType.Number
            && !NumbersAreZeroOne(output, source))
        {
            errors.Add(new RuleError(path, $"The label '{label.Name}' holds numbers other than 0 and 1; a binary label needs 0/1, true/false or text with positive spellings."));
            return;
        }

        if (values.Count == 0)
        {
            errors.Add(new RuleError(path, $"The label '{label.Name}' is missing in all {rows} rows."));
        }
        else if (values.Count == 1)
        {
            var what = compiled.Task == TaskType.Multiclass ? "class" : "value";
            var textLabel = rule.Source is { } column && compiled.RawColumns.First(c => c.Name == column).Type is FeatureType.Category or FeatureType.Text;
            var hint = compiled.Task == TaskType.Binary && textLabel && values.ContainsKey("false")
                ? " If the positive class is spelled differently, list its spellings in label.positive."
                : "";
            errors.Add(new RuleError(path,
                $"The label '{label.Name}' has only one {what} ('{values.Keys.Single()}') in {rows} rows; a model needs at least two.{hint}"));
        }
    }

    private static Func<string?> DisplayReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case BooleanDataViewType:
                var flag = cursor.GetGetter<bool>(column);
                var b = false;
                return () => { flag(ref b); return b ? "true" : "false"; };
            case TextDataViewType:
                var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                var t = default(ReadOnlyMemory<char>);
                return () => { text(ref t); return t.IsEmpty ? null : t.ToString(); };
            default:
                var number = cursor.GetGetter<float>(column);
                var f = 0f;
                return () => { number(ref f); return float.IsNaN(f) ? null : f.ToString("R", CultureInfo.InvariantCulture); };
        }
    }

    private static bool NumbersAreZeroOne(IDataView output, string source)
    {
        var column = output.Schema[source];
        using var cursor = output.OpenSerialCursor([column]);
        var get = cursor.GetGetter<float>(column);
        var v = 0f;
        while (cursor.MoveNext())
        {
            get(ref v);
            if (!float.IsNaN(v) && v is not (0f or 1f))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyValue(IDataView output, string columnName)
    {
        var column = output.Schema[columnName];
        using var cursor = output.OpenSerialCursor([column]);
        switch (column.Type)
        {
            case TextDataViewType:
                var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                var t = default(ReadOnlyMemory<char>);
                while (cursor.MoveNext()) { text(ref t); if (!t.IsEmpty) return true; }
                return false;
            case BooleanDataViewType:
                return cursor.MoveNext();
            default:
                var read = NumberReader(cursor, column);
                while (cursor.MoveNext()) { if (!double.IsNaN(read())) return true; }
                return false;
        }
    }

    private static bool IsEmpty(Array values) => values switch
    {
        string?[] texts => texts.All(string.IsNullOrEmpty),
        _ => values.Cast<object?>().All(v => v is null),
    };

    internal static Func<double> NumberReader(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type.RawType;
        if (type == typeof(float)) { var g = row.GetGetter<float>(column); var v = 0f; return () => { g(ref v); return v; }; }
        if (type == typeof(double)) { var g = row.GetGetter<double>(column); var v = 0d; return () => { g(ref v); return v; }; }
        if (type == typeof(int)) { var g = row.GetGetter<int>(column); var v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(long)) { var g = row.GetGetter<long>(column); var v = 0L; return () => { g(ref v); return v; }; }
        throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not a number.");
    }

    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
