using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPlane.ML.Rules;

/// <summary>One difference between two rule sets: the rule path (as in <see cref="RuleError.Path"/>) and its JSON before and after.</summary>
public sealed record RuleChange(string Path, string? Before, string? After);

/// <summary>
/// What changed between two effective rule sets, path by path: a feature added or removed as a whole, a kept feature or
/// the label field by field, the entity key, the event time, the drop list, and the features' order. Values are compact
/// JSON in the rules' own form; a null side means absent.
/// </summary>
public static class RuleDiff
{
    // Values are for people to read ("delay > 15", not "delay \u003E 15"); whoever shows them encodes for the page.
    private static readonly JsonSerializerOptions Compact = new(RuleJson.Options)
    {
        WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyList<RuleChange> Compare(RuleSet before, RuleSet after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<RuleChange>();
        Fields("label", Node(before.Label), Node(after.Label), changes);
        Value("entityKey", Node(before.EntityKey), Node(after.EntityKey), changes);
        Value("eventTime", Node(before.EventTime), Node(after.EventTime), changes);
        CompareFeatures(before.Features, after.Features, changes);
        Value("drop", before.Drop.Count == 0 ? null : Node(before.Drop), after.Drop.Count == 0 ? null : Node(after.Drop), changes);
        return changes;
    }

    private static void CompareFeatures(IReadOnlyList<FeatureRule> before, IReadOnlyList<FeatureRule> after, List<RuleChange> changes)
    {
        var old = ByName(before);
        var now = ByName(after);
        foreach (var (name, rule) in old)
        {
            var path = $"features[{name}]";
            if (now.TryGetValue(name, out var kept))
            {
                Fields(path, Node(rule), Node(kept), changes);
            }
            else
            {
                changes.Add(new RuleChange(path, Text(Node(rule)), null));
            }
        }

        foreach (var (name, rule) in now.Where(p => !old.ContainsKey(p.Key)))
        {
            changes.Add(new RuleChange($"features[{name}]", null, Text(Node(rule))));
        }

        // Order matters: an expression may only use features computed before it.
        var keptBefore = old.Keys.Where(now.ContainsKey).ToArray();
        var keptAfter = now.Keys.Where(old.ContainsKey).ToArray();
        if (!keptBefore.SequenceEqual(keptAfter, StringComparer.Ordinal))
        {
            changes.Add(new RuleChange("features", Text(Node(keptBefore)), Text(Node(keptAfter))));
        }
    }

    /// <summary>Field by field when both sides are objects; as a whole when one side is missing.</summary>
    private static void Fields(string path, JsonNode? before, JsonNode? after, List<RuleChange> changes)
    {
        if (before is not JsonObject a || after is not JsonObject b)
        {
            Value(path, before, after, changes);
            return;
        }

        foreach (var key in a.Select(p => p.Key).Concat(b.Select(p => p.Key).Where(k => !a.ContainsKey(k))))
        {
            Value($"{path}.{key}", a[key], b[key], changes);
        }
    }

    private static void Value(string path, JsonNode? before, JsonNode? after, List<RuleChange> changes)
    {
        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add(new RuleChange(path, Text(before), Text(after)));
        }
    }

    private static Dictionary<string, FeatureRule> ByName(IReadOnlyList<FeatureRule> features)
    {
        // Insertion order is the rules' order; a repeated name keeps its first rule, as inheritance does.
        var byName = new Dictionary<string, FeatureRule>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            byName.TryAdd(feature.Name, feature);
        }

        return byName;
    }

    private static JsonNode? Node<T>(T value) => value is null ? null : JsonSerializer.SerializeToNode(value, Compact);

    private static string? Text(JsonNode? node) => node?.ToJsonString(Compact);
}
