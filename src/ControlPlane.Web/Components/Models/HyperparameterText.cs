namespace ControlPlane.Web.Components.Models;

/// <summary>Hyperparameters as one line, keys in order: "learningRate=0.1, leaves=31".</summary>
public static class HyperparameterText
{
    public static string Of(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? "defaults" : string.Join(", ", values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
