using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    /// <summary>One-hot keeps at most this many categories by default, the most frequent in training; the rest (and unseen ones) encode as all zeros.</summary>
    public const int DefaultMaxCategories = 100;

    /// <summary>Hashed encoding uses this many buckets by default.</summary>
    public const int DefaultHashBuckets = 256;

    public const string MissingCategory = "(missing)";

    private CompiledFeature? CompileCategory(int index, FeatureRule rule, Source source)
    {
        if (source.RawType == FeatureType.DateTime)
        {
            Mismatch(source, FeatureType.Category, "Use type dateTime for its parts.");
            return null;
        }

        var text = ToText(index, source.Column);
        var missing = rule.Impute is { Strategy: ImputeStrategy.Constant, Value: { } constant } ? constant : MissingCategory;
        var mapped = string.Concat((rule.Values ?? new Dictionary<string, string>())
            .Select(kv => $"x = {ExpressionText.String(kv.Key)} ? {ExpressionText.String(kv.Value)} : "));
        var value = Expression(Column(index, "category"),
            $"x => with(v = {mapped}x; len(v) = 0 ? {ExpressionText.String(missing)} : v)", text, TextDataViewType.Instance);

        var output = Column(index, "encoded");
        var encoding = rule.Encoding ?? CategoryEncoding.OneHot;
        if (encoding == CategoryEncoding.Hashed)
        {
            var buckets = rule.MaxCategories ?? DefaultHashBuckets;
            var bits = (int)Math.Ceiling(Math.Log2(buckets));
            Add(_ml.Transforms.Categorical.OneHotHashEncoding(output, value, numberOfBits: Math.Clamp(bits, 1, 30)),
                output, new VectorDataViewType(NumberDataViewType.Single));
        }
        else
        {
            var cap = rule.MaxCategories ?? DefaultMaxCategories;
            Add(data => _ml.Transforms.Categorical.OneHotEncoding(output, value,
                    maximumNumberOfKeys: cap,
                    keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue,
                    keyData: data is null ? null : CategoryCounts.MostFrequent(_ml, data, value, cap)),
                output, new VectorDataViewType(NumberDataViewType.Single));
        }

        return new CompiledFeature(rule.Name, FeatureType.Category, value, [output], null, encoding, []);
    }

    private CompiledFeature? CompileText(int index, FeatureRule rule, Source source)
    {
        if (source.Type is not TextDataViewType)
        {
            Mismatch(source, FeatureType.Text, "Text featurization reads words; use type number or category.");
            return null;
        }

        var output = Column(index, "ngrams");
        Add(_ml.Transforms.Text.FeaturizeText(output, source.Column), output, new VectorDataViewType(NumberDataViewType.Single));
        return new CompiledFeature(rule.Name, FeatureType.Text, source.Column, [output], null, null, []);
    }

    /// <summary>Numbers and flags as category text: 3 → "3", true → "true", missing → empty.</summary>
    private string ToText(int index, string column) => _types[column] switch
    {
        TextDataViewType => column,
        BooleanDataViewType => Expression(Column(index, "text"), "x => x ? \"true\" : \"false\"", column, TextDataViewType.Instance),
        NumberDataViewType n when n == NumberDataViewType.Single || n == NumberDataViewType.Double =>
            Expression(Column(index, "text"), "x => isna(x) ? \"\" : text(x)", column, TextDataViewType.Instance),
        _ => Expression(Column(index, "text"), "x => text(x)", column, TextDataViewType.Instance),
    };
}
