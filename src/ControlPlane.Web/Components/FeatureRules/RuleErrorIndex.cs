using ControlPlane.ML.Rules;

namespace ControlPlane.Web.Components.FeatureRules;

/// <summary>
/// The errors of a rules check, keyed by <see cref="RuleError.Path"/> (<c>features[plan].source</c>, <c>label.source</c>,
/// <c>drop[2]</c>, <c>json</c>), so each form field can find its own messages.
/// </summary>
public sealed class RuleErrorIndex
{
    private readonly IReadOnlyDictionary<string, string[]> _errors;

    public RuleErrorIndex(IReadOnlyDictionary<string, string[]> errors) => _errors = errors;

    public static RuleErrorIndex None { get; } = new(new Dictionary<string, string[]>());

    public static RuleErrorIndex From(RuleError error) => new(new Dictionary<string, string[]> { [error.Path] = [error.Message] });

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Values.Sum(m => m.Length);

    /// <summary>Every error, path first, in a stable order.</summary>
    public IEnumerable<RuleError> All => _errors.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(e => e.Value.Select(m => new RuleError(e.Key, m)));

    public IReadOnlyList<string> For(string path) => _errors.TryGetValue(path, out var messages) ? messages : [];

    public IReadOnlyList<string> Feature(string feature, string field) => For(RuleError.FeaturePath(feature, field));

    /// <summary>True when any field of the feature has an error (its card opens and is highlighted).</summary>
    public bool AnyForFeature(string feature)
    {
        var prefix = $"features[{feature}]";
        return _errors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>Errors about a feature that no form field shows (e.g. <c>features[x]</c> itself or an unknown field).</summary>
    public IEnumerable<RuleError> OtherForFeature(string feature, IReadOnlySet<string> fields)
    {
        var prefix = $"features[{feature}]";
        return All.Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal) && !fields.Contains(FieldOf(e.Path[prefix.Length..])));
    }

    /// <summary>".clip.min" → "clip", ".buckets[1]" → "buckets", "" → "" (the feature itself).</summary>
    private static string FieldOf(string rest) => rest.TrimStart('.').Split('.', '[')[0];
}
