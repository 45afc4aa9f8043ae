using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    private const string LabelPrefix = Prefix + "label.";

    /// <summary>Spellings of a positive text label when the rule lists none (compared ignoring case).</summary>
    public static readonly IReadOnlyList<string> DefaultPositive = ["true", "yes", "y", "1"];

    private void CompileLabel()
    {
        var rule = _rules.Label;
        if (rule is null || rule.Source is null && rule.Expression is null)
        {
            Error("label", "There is no label: give its source column or an expression.");
            return;
        }

        if (rule.Source is not null && rule.Expression is not null)
        {
            Error("label.source", "Give either a source column or an expression for the label, not both.");
            return;
        }

        string column;
        DataViewType type;
        FeatureType? rawType = null;
        string name;
        string? expressionColumn = null;
        string path;
        if (rule.Source is not null)
        {
            path = "label.source";
            var raw = RawColumnAt(rule.Source, path);
            if (raw is null)
            {
                return;
            }

            (column, type, rawType, name) = (raw.Name, _types[raw.Name], raw.Type, raw.Name);
        }
        else
        {
            path = "label.expression";
            if (CompileExpression(rule.Expression!, rule.Inputs, "label.", LabelPrefix + "expr", featuresVisible: false) is not { } compiled)
            {
                return;
            }

            (column, type, name, expressionColumn) = (compiled.Column, compiled.Type, "label", compiled.Column);
        }

        if (rule.Positive is not null && !(_task == TaskType.Binary && type is TextDataViewType))
        {
            Error("label.positive", "Positive spellings apply to a binary task's text label.");
        }

        if (rule.Values is not null && !(_task == TaskType.Multiclass && type is TextDataViewType))
        {
            Error("label.values", "Label values map the text spellings of a multiclass label onto class names.");
        }

        var what = rawType is { } t ? $"Column '{name}' holds {Describe(type, t)}" : $"The label expression gives {Describe(type, null)}";
        if (rawType == FeatureType.DateTime)
        {
            Error(path, $"{what}; a label must be a number, true/false or text.");
            return;
        }

        if (_task == TaskType.Binary && rule.Expression is not null && type is not BooleanDataViewType)
        {
            Error(path, $"{what}; a binary label expression must give true or false, e.g. delay > 15.");
            return;
        }

        var known = LabelPrefix + "known";
        switch (_task)
        {
            case TaskType.Binary:
                if (type is TextDataViewType)
                {
                    var spellings = (rule.Positive ?? DefaultPositive).Select(p => $"l = {ExpressionText.String(p.Trim().ToLowerInvariant())}");
                    Expression(RuleCompiler.LabelColumn, $"x => with(l = lower(x); {string.Join(" or ", spellings)})", column, BooleanDataViewType.Instance);
                    Expression(known, "x => len(x) > 0", column, BooleanDataViewType.Instance);
                }
                else if (type is BooleanDataViewType)
                {
                    Expression(RuleCompiler.LabelColumn, "x => x", column, BooleanDataViewType.Instance);
                    Expression(known, "x => true", column, BooleanDataViewType.Instance);
                }
                else
                {
                    Expression(RuleCompiler.LabelColumn, "x => x > 0", column, BooleanDataViewType.Instance);
                    Expression(known, "x => not isna(x)", ToSingle(-1, column), BooleanDataViewType.Instance);
                }

                Label = new CompiledLabel(name, known, RuleCompiler.LabelColumn, expressionColumn);
                break;

            case TaskType.Multiclass:
                var text = type is TextDataViewType ? column : ToText(-1, column);
                var mapped = string.Concat((rule.Values ?? new Dictionary<string, string>())
                    .Select(kv => $"x = {ExpressionText.String(kv.Key)} ? {ExpressionText.String(kv.Value)} : "));
                var classes = Expression(LabelPrefix + "class", $"x => {mapped}x", text, TextDataViewType.Instance);
                Expression(known, "x => len(x) > 0", classes, BooleanDataViewType.Instance);
                // Classes in ordinal order, so a class keeps its key from one retraining to the next.
                Add(_ml.Transforms.Conversion.MapValueToKey(RuleCompiler.LabelColumn, classes, keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
                    RuleCompiler.LabelColumn, NumberDataViewType.UInt32);
                Label = new CompiledLabel(name, known, classes, expressionColumn);
                break;

            default:
                if (type is TextDataViewType || type is BooleanDataViewType || rawType == FeatureType.Boolean)
                {
                    Error(path, $"{what}; a regression task needs a number label.");
                    return;
                }

                var number = ToSingle(-1, column);
                Add(_ml.Transforms.CopyColumns(RuleCompiler.LabelColumn, number), RuleCompiler.LabelColumn, NumberDataViewType.Single);
                Expression(known, "x => not isna(x)", number, BooleanDataViewType.Instance);
                Label = new CompiledLabel(name, known, RuleCompiler.LabelColumn, expressionColumn);
                break;
        }
    }

    private void CompileKeyAndTime()
    {
        if (_rules.EntityKey is { } key && RawColumnAt(key, "entityKey") is { } keyColumn)
        {
            if (keyColumn.Type == FeatureType.DateTime)
            {
                Error("entityKey", $"Column '{key}' holds date-times; an entity key must be an identifier (text or number).");
            }
            else
            {
                var text = ToText(-2, keyColumn.Name);
                Add(_ml.Transforms.CopyColumns(RuleCompiler.EntityKeyColumn, text), RuleCompiler.EntityKeyColumn, TextDataViewType.Instance);
            }
        }

        if (_rules.EventTime is { } time && RawColumnAt(time, "eventTime") is { } timeColumn)
        {
            if (timeColumn.Type != FeatureType.DateTime)
            {
                Error("eventTime", $"Column '{time}' holds {Describe(_types[time], timeColumn.Type)}; the event time must be a date-time column.");
            }
            else
            {
                Add(_ml.Transforms.CopyColumns(RuleCompiler.EventTimeColumn, time), RuleCompiler.EventTimeColumn, NumberDataViewType.Double);
            }
        }
    }
}
