using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// The label must suit the task: binary needs exactly two outcomes (booleans, 0/1, two spellings, or the rule's
/// positive spellings against the rest), multiclass at least two classes (few rows in a class warns), regression numbers
/// that vary. A label derived by an expression is judged by the rules' dry run; here only its inputs must exist.
/// </summary>
internal static class LabelCheck
{
    public static IEnumerable<CheckResult> Run(ValidationInput input)
    {
        var rule = input.Rules.Label ?? new LabelRule();
        if (rule.Expression is { } expression)
        {
            yield return CheckResult.Passed(ValidationCodes.Label,
                $"The label is derived by the expression '{expression}'; its values are judged when the rules are checked.");
            yield break;
        }

        if (input.Mapped.LabelSource is not { } name)
        {
            yield return Blocking(null, "The rules name no label column.");
            yield break;
        }

        if (input.RowsOf(name) is not { } column) yield break; // reported as a missing column
        var values = column.Values.Cast<object?>().Where(v => v is not null && v is not string { Length: 0 }).ToArray();
        if (values.Length == 0)
        {
            yield return Blocking(name, $"Label column '{name}' has no values.");
            yield break;
        }

        if (input.Task == TaskType.Multiclass)
        {
            yield return Multiclass(name, column.Type, rule, values, input.Options.MinRowsPerClass, out var smallClasses);
            if (smallClasses is not null) yield return smallClasses;
        }
        else yield return input.Task == TaskType.Binary ? Binary(name, column.Type, rule, values) : Regression(name, column.Type, values);
    }

    private static CheckResult Binary(string name, FeatureType type, LabelRule rule, object?[] values)
    {
        var counts = Counts(values);
        if (type == FeatureType.DateTime) return Blocking(name, $"Label column '{name}' holds date-times; a binary label needs two outcomes.");
        if (type == FeatureType.Number && counts.Keys.Any(k => k is not (0d or 1d)))
        {
            return Blocking(name, $"Label column '{name}' holds numbers other than 0 and 1 (e.g. {Examples(counts.Keys.Where(k => k is not (0d or 1d)))}); " +
                "a binary label needs 0/1, true/false or two spellings.");
        }

        if (rule.Positive is { Count: > 0 } positive && type is FeatureType.Category or FeatureType.Text)
        {
            var positives = counts.Where(c => positive.Contains((string)c.Key, StringComparer.Ordinal)).Sum(c => c.Value);
            var others = values.Length - positives;
            if (positives == 0 || others == 0)
            {
                var missing = positives == 0 ? $"no value matches the positive spellings {string.Join(", ", positive.Select(p => $"'{p}'"))}" : "every value is positive";
                return Blocking(name, $"Label column '{name}' is constant for a binary task: {missing} (values seen: {Examples(counts.Keys)}).");
            }
            return CheckResult.Passed(ValidationCodes.Label,
                $"Label '{name}' is binary: {Figures.Count(positives)} positive rows, {Figures.Count(others)} others.");
        }

        if (counts.Count != 2)
        {
            var why = counts.Count < 2 ? $"it is constant ({Examples(counts.Keys)})" : $"it has {counts.Count} distinct values (e.g. {Examples(counts.Keys)})";
            return Blocking(name, $"Label column '{name}' is not binary: {why}. A binary label needs exactly two outcomes, " +
                "or the rule's 'positive' spellings.");
        }
        return CheckResult.Passed(ValidationCodes.Label,
            $"Label '{name}' is binary: {string.Join(", ", counts.Select(c => $"{Figures.Quote(c.Key)} {Figures.Count(c.Value)} rows"))}.");
    }

    private static CheckResult Regression(string name, FeatureType type, object?[] values)
    {
        if (type != FeatureType.Number) return Blocking(name, $"Label column '{name}' is {ColumnChecks.TypeName(type)}, not numbers; a regression label must be numeric.");
        var numbers = values.Cast<double>().ToArray();
        var (min, max) = (numbers.Min(), numbers.Max());
        return min == max
            ? Blocking(name, $"Label column '{name}' is constant ({Figures.Quote(min)}); a regression label must vary.")
            : CheckResult.Passed(ValidationCodes.Label, $"Label '{name}' is numeric, from {Figures.Quote(min)} to {Figures.Quote(max)}.");
    }

    private static CheckResult Multiclass(string name, FeatureType type, LabelRule rule, object?[] values, int minRows, out CheckResult? smallClasses)
    {
        smallClasses = null;
        if (type == FeatureType.DateTime) return Blocking(name, $"Label column '{name}' holds date-times, not classes.");
        var classes = Counts(values.Select(v => v is string s && rule.Values?.TryGetValue(s, out var mapped) == true ? mapped : v));
        if (classes.Count < 2) return Blocking(name, $"Label column '{name}' has {classes.Count} class ({Examples(classes.Keys)}); a multiclass label needs at least two.");

        var small = classes.Where(c => c.Value < minRows).OrderBy(c => c.Value).ToArray();
        if (small.Length > 0)
        {
            smallClasses = new(ValidationCodes.SmallClass, [new(ValidationCodes.SmallClass, ValidationSeverity.Warning, name,
                $"{small.Length} of {classes.Count} classes in label '{name}' have fewer than {Figures.Count(minRows)} rows: " +
                $"{string.Join(", ", small.Take(10).Select(c => $"{Figures.Quote(c.Key)} ({Figures.Count(c.Value)})"))}; the model will rarely predict them.")], null);
        }
        return CheckResult.Passed(ValidationCodes.Label, $"Label '{name}' has {classes.Count} classes.");
    }

    private static Dictionary<object, long> Counts(IEnumerable<object?> values)
    {
        var counts = new Dictionary<object, long>();
        foreach (var v in values) if (v is not null) counts[v] = counts.GetValueOrDefault(v) + 1;
        return counts;
    }

    private static string Examples(IEnumerable<object> values) => string.Join(", ", values.Take(5).Select(Figures.Quote));

    private static CheckResult Blocking(string? column, string message) =>
        new(ValidationCodes.Label, [new(ValidationCodes.Label, ValidationSeverity.Blocking, column, message)], null);
}
