using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    /// <summary>Where a feature's value comes from before cleaning: a raw column or an expression's output.</summary>
    private sealed record Source(string Column, DataViewType Type, FeatureType? RawType, string Path, string Describe);

    private CompiledFeature? CompileFeature(int index, FeatureRule rule)
    {
        _inFeature = true;
        try
        {
            return CompileFeatureCore(index, rule);
        }
        finally
        {
            _inFeature = false;
        }
    }

    private CompiledFeature? CompileFeatureCore(int index, FeatureRule rule)
    {
        var errorsBefore = _errors.Count;
        Source? source;
        string? expressionColumn = null;
        if (rule.Expression is not null)
        {
            if (rule.Source is not null)
            {
                Error(RuleError.FeaturePath(rule.Name, "source"), "Give either a source column or an expression, not both.");
                return null;
            }

            var compiled = CompileExpression(rule.Expression, rule.Inputs, $"features[{rule.Name}].", Column(index, "expr"), featuresVisible: true);
            if (compiled is not { } c)
            {
                return null;
            }

            expressionColumn = c.Column;
            source = new Source(c.Column, c.Type, null, RuleError.FeaturePath(rule.Name, "expression"), "The expression");
        }
        else
        {
            var name = rule.Source ?? rule.Name;
            var raw = RawColumnAt(name, RuleError.FeaturePath(rule.Name, "source"), rule.Source is null
                ? $"Feature '{rule.Name}' has no source, so it reads a column of its own name, and the data has none: set its source to the tenant's column, or drop it."
                : null);
            if (raw is null)
            {
                return null;
            }

            if (Reserved(raw.Name) is { } why)
            {
                Error(RuleError.FeaturePath(rule.Name, "source"), $"Column '{raw.Name}' is {why}; a feature cannot read it.");
                return null;
            }

            source = new Source(raw.Name, _types[raw.Name], raw.Type, RuleError.FeaturePath(rule.Name, "source"), $"Column '{raw.Name}'");
        }

        var type = rule.Type ?? source.RawType ?? TypeOfExpression(source.Type);
        CheckFieldsApply(rule, type);
        if (_errors.Count > errorsBefore)
        {
            return null;
        }

        var feature = type switch
        {
            FeatureType.Number => CompileNumber(index, rule, source),
            FeatureType.Boolean => CompileBoolean(index, rule, source),
            FeatureType.Category => CompileCategory(index, rule, source),
            FeatureType.Text => CompileText(index, rule, source),
            FeatureType.DateTime => CompileDateTime(index, rule, source),
            _ => null,
        };
        var origin = rule.Expression is { } text ? $"expression '{(text.Length > 80 ? text[..79] + "…" : text)}'" : $"column '{source.Column}'";
        return feature is null ? null : feature with { ExpressionColumn = expressionColumn, Origin = origin };
    }

    /// <summary>Why a raw column may not feed a feature: the label (a feature reading it would leak the answer) or the entity key.</summary>
    private string? Reserved(string rawColumn) =>
        _rules.Label?.Source == rawColumn ? "the label" : _rules.EntityKey == rawColumn ? "the entity key" : null;

    private static FeatureType TypeOfExpression(DataViewType type) => type switch
    {
        BooleanDataViewType => FeatureType.Boolean,
        TextDataViewType => FeatureType.Category,
        _ => FeatureType.Number,
    };

    private static string Describe(DataViewType type, FeatureType? rawType) => rawType switch
    {
        FeatureType.Number => "numbers",
        FeatureType.Boolean => "true/false values",
        FeatureType.DateTime => "date-times",
        FeatureType.Category => "categories",
        FeatureType.Text => "text",
        _ => type switch
        {
            BooleanDataViewType => "true/false values",
            TextDataViewType => "text",
            _ => "numbers",
        },
    };

    private void Mismatch(Source source, FeatureType type, string hint) =>
        Error(source.Path, $"{source.Describe} gives {Describe(source.Type, source.RawType)}, which cannot be a {Lower(type)} feature. {hint}");

    private static string Lower(FeatureType type) => type == FeatureType.DateTime ? "date-time" : type.ToString().ToLowerInvariant();

    private CompiledFeature? CompileNumber(int index, FeatureRule rule, Source source)
    {
        if (source.Type is TextDataViewType || source.RawType == FeatureType.DateTime)
        {
            Mismatch(source, FeatureType.Number, source.Type is TextDataViewType
                ? "Use type category or text, or compute a number with an expression."
                : "Use type dateTime for its parts.");
            return null;
        }

        var current = ToSingle(index, source.Column);
        if (rule.Scale is { } scale && scale != 1)
        {
            current = Expression(Column(index, "scaled"), $"x => x / {ExpressionText.Float(scale)}", current, NumberDataViewType.Single);
        }

        current = Impute(index, rule, current, FeatureType.Number, ImputeStrategy.Mean, NumberDataViewType.Single);
        if (rule.Clip is { } clip && (clip.Min is not null || clip.Max is not null))
        {
            var body = "x";
            if (clip.Max is { } max) body = $"x > {ExpressionText.Float(max)} ? {ExpressionText.Float(max)} : {body}";
            if (clip.Min is { } min) body = $"x < {ExpressionText.Float(min)} ? {ExpressionText.Float(min)} : {body}";
            current = Expression(Column(index, "clipped"), $"x => {body}", current, NumberDataViewType.Single);
        }

        var value = current;
        var output = rule.Transform switch
        {
            NumberTransform.Log => Expression(Column(index, "log"), "x => x < 0 ? na(x) : ln(1 + x)", value, NumberDataViewType.Single),
            NumberTransform.Bucketize => Expression(Column(index, "bucket"),
                $"x => isna(x) ? x : float({string.Join(" + ", rule.Buckets!.Select(b => $"(x > {ExpressionText.Float(b)} ? 1 : 0)"))})",
                value, NumberDataViewType.Single),
            _ => value,
        };
        return new CompiledFeature(rule.Name, FeatureType.Number, value, [output], null, null, []);
    }

    private CompiledFeature? CompileBoolean(int index, FeatureRule rule, Source source)
    {
        if (source.RawType == FeatureType.DateTime)
        {
            Mismatch(source, FeatureType.Boolean, "Compare it in an expression instead, e.g. a > b.");
            return null;
        }

        string current;
        if (source.Type is TextDataViewType)
        {
            current = Expression(Column(index, "flag"), $"x => {BooleanSpellings(rule, FeaturePath(rule, "values"))}", source.Column, NumberDataViewType.Single);
        }
        else if (rule.Values is { Count: > 0 })
        {
            Error(FeaturePath(rule, "values"), $"{source.Describe} gives {Describe(source.Type, source.RawType)}; values map text spellings only.");
            return null;
        }
        else if (source.Type is BooleanDataViewType || source.RawType == FeatureType.Boolean)
        {
            current = ToSingle(index, source.Column);
        }
        else
        {
            current = Expression(Column(index, "flag"), "x => isna(x) ? na(1f) : (x != 0 ? 1f : 0f)", ToSingle(index, source.Column), NumberDataViewType.Single);
        }

        current = Impute(index, rule, current, FeatureType.Boolean, ImputeStrategy.Mode, NumberDataViewType.Single);
        return new CompiledFeature(rule.Name, FeatureType.Boolean, current, [current], null, null, []);
    }

    /// <summary>Text to 1/0/NaN: the rule's own spellings first ("Y" → "true"), then true/yes/y/1 and false/no/n/0 in any case.</summary>
    private string BooleanSpellings(FeatureRule rule, string path)
    {
        var cases = new List<string>();
        foreach (var (spelling, canonical) in rule.Values ?? new Dictionary<string, string>())
        {
            if (BooleanValue(canonical) is not { } flag)
            {
                Error(path, $"'{spelling}' maps to '{canonical}'; a boolean's values map onto true or false.");
                continue;
            }

            cases.Add($"x = {ExpressionText.String(spelling)} ? {(flag ? "1f" : "0f")} : ");
        }

        return string.Concat(cases)
            + "with(l = lower(x); l = \"true\" or l = \"yes\" or l = \"y\" or l = \"1\" ? 1f : "
            + "l = \"false\" or l = \"no\" or l = \"n\" or l = \"0\" ? 0f : na(1f))";
    }

    private static bool? BooleanValue(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "1" => true,
        "false" or "no" or "n" or "0" => false,
        _ => null,
    };

    private static string FeaturePath(FeatureRule rule, string field) => RuleError.FeaturePath(rule.Name, field);

    private string ToSingle(int index, string column)
    {
        if (_types[column] is NumberDataViewType n && n == NumberDataViewType.Single)
        {
            return column;
        }

        var output = Column(index, "single");
        Add(_ml.Transforms.Conversion.ConvertType(output, column, DataKind.Single), output, NumberDataViewType.Single);
        return output;
    }

    private string Expression(string output, string lambda, string input, DataViewType type)
    {
        Add(_ml.Transforms.Expression(output, lambda, input), output, type);
        return output;
    }
}
