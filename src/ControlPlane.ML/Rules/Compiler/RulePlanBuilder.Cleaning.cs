using Microsoft.ML;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    /// <summary>
    /// Fills missing values. Fitted strategies (mean, mode, minimum, maximum) use ML.NET's ReplaceMissingValues, so the
    /// training statistic is saved with the model; zero and constant are expressions.
    /// </summary>
    private string Impute(int index, FeatureRule rule, string column, FeatureType type, ImputeStrategy fallback, DataViewType columnType)
    {
        var strategy = rule.Impute?.Strategy ?? ImputeStrategy.Default;
        if (strategy == ImputeStrategy.Default)
        {
            strategy = fallback;
        }

        var output = Column(index, "imputed");
        if (strategy == ImputeStrategy.Constant)
        {
            var literal = type == FeatureType.DateTime
                ? ExpressionText.Double(RawTableDataView.UnixSeconds(ParseDate(rule.Impute!.Value!)))
                : ExpressionText.Float(ParseConstant(rule.Impute!.Value!, type));
            return Expression(output, $"x => isna(x) ? {literal} : x", column, columnType);
        }

        var mode = strategy switch
        {
            ImputeStrategy.Mean => MissingValueReplacingEstimator.ReplacementMode.Mean,
            ImputeStrategy.Mode => MissingValueReplacingEstimator.ReplacementMode.Mode,
            ImputeStrategy.Minimum => MissingValueReplacingEstimator.ReplacementMode.Minimum,
            ImputeStrategy.Maximum => MissingValueReplacingEstimator.ReplacementMode.Maximum,
            _ => MissingValueReplacingEstimator.ReplacementMode.DefaultValue,
        };
        Add(_ml.Transforms.ReplaceMissingValues(output, column, mode), output, columnType);
        return output;
    }

    private static float ParseConstant(string value, FeatureType type) =>
        type == FeatureType.Boolean
            ? BooleanValue(value) is true ? 1f : 0f
            : float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTime ParseDate(string value) =>
        DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>Static checks of the fields that only some types take, before any step is built.</summary>
    private void CheckFieldsApply(FeatureRule rule, FeatureType type)
    {
        var typeName = Lower(type);
        void NotFor(string field, string appliesTo) =>
            Error(FeaturePath(rule, field), $"'{field}' applies to {appliesTo}; '{rule.Name}' is a {typeName} feature.");

        if (type != FeatureType.Number)
        {
            if (rule.Scale is not null) NotFor("scale", "numbers");
            if (rule.Clip is not null) NotFor("clip", "numbers");
            if (rule.Transform is not null and not NumberTransform.None) NotFor("transform", "numbers");
            if (rule.Buckets is not null) NotFor("buckets", "numbers");
        }

        if (type != FeatureType.Category)
        {
            if (rule.Encoding is not null) NotFor("encoding", "categories");
            if (rule.MaxCategories is not null) NotFor("maxCategories", "categories");
        }

        if (type is not (FeatureType.Category or FeatureType.Boolean) && rule.Values is not null) NotFor("values", "categories and booleans");
        if (type != FeatureType.DateTime && rule.DateParts is not null) NotFor("dateParts", "date-times");
        if (type == FeatureType.Text && rule.Impute is not null) NotFor("impute", "numbers, booleans, categories and date-times");

        if (rule.Scale is { } scale && (!double.IsFinite(scale) || scale <= 0))
        {
            Error(FeaturePath(rule, "scale"), $"Scale must be a positive number (the raw value is divided by it); got {scale.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (rule.Clip is { Min: { } min, Max: { } max } && min > max)
        {
            Error(FeaturePath(rule, "clip"), $"Clip min ({Format(min)}) is greater than max ({Format(max)}).");
        }

        CheckBuckets(rule);
        if (rule.MaxCategories is { } cap && cap < 2)
        {
            Error(FeaturePath(rule, "maxCategories"), $"maxCategories must be at least 2; got {cap}.");
        }

        if (rule.DateParts is { Count: 0 })
        {
            Error(FeaturePath(rule, "dateParts"), "List at least one date part, or leave dateParts out for hour, dayOfWeek and month.");
        }

        CheckImpute(rule, type);
    }

    private void CheckBuckets(FeatureRule rule)
    {
        if (rule.Transform == NumberTransform.Bucketize && rule.Buckets is not { Count: > 0 })
        {
            Error(FeaturePath(rule, "buckets"), "Bucketize needs bucket bounds, e.g. [10, 50, 200].");
        }

        var buckets = rule.Buckets ?? [];
        for (var k = 0; k < buckets.Count; k++)
        {
            if (!double.IsFinite(buckets[k]))
            {
                Error($"{FeaturePath(rule, "buckets")}[{k}]", "Bucket bounds must be finite numbers.");
            }
            else if (k > 0 && buckets[k] <= buckets[k - 1])
            {
                Error($"{FeaturePath(rule, "buckets")}[{k}]", $"Bucket bounds must be ascending: {Format(buckets[k])} comes after {Format(buckets[k - 1])}.");
            }
        }
    }

    private void CheckImpute(FeatureRule rule, FeatureType type)
    {
        if (rule.Impute is not { } impute || type == FeatureType.Text)
        {
            return;
        }

        var path = FeaturePath(rule, "impute");
        if (type == FeatureType.Category && impute.Strategy is not (ImputeStrategy.Default or ImputeStrategy.Constant))
        {
            Error($"{path}.strategy", $"Categories are imputed with a '(missing)' category (default) or a constant; '{Camel(impute.Strategy)}' applies to numbers, booleans and date-times.");
        }

        if (impute.Strategy != ImputeStrategy.Constant)
        {
            if (impute.Value is not null)
            {
                Error($"{path}.value", $"A value is used only with the constant strategy, not '{Camel(impute.Strategy)}'.");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(impute.Value))
        {
            Error($"{path}.value", "Constant imputation needs a value.");
            return;
        }

        var valid = type switch
        {
            FeatureType.Number => float.TryParse(impute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f),
            FeatureType.Boolean => BooleanValue(impute.Value) is not null,
            FeatureType.DateTime => DateTime.TryParse(impute.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            _ => true,
        };
        if (!valid)
        {
            var expected = type switch
            {
                FeatureType.Number => "a number such as 0 or 12.5",
                FeatureType.Boolean => "true or false",
                _ => "an ISO date such as 2026-01-31",
            };
            Error($"{path}.value", $"'{impute.Value}' is not {expected}.");
        }
    }

    private static string Camel(Enum value)
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
