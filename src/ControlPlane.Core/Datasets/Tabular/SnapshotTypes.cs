using System.Text.Json;
using ControlPlane.ML;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// The schema's column types, kept in the snapshot's key-value metadata: Parquet stores categories and text alike as
/// strings, and a reader needs to tell them apart without the database.
/// </summary>
internal static class SnapshotTypes
{
    public const string MetadataKey = "controlplane.types";

    public static Dictionary<string, string> Metadata(IReadOnlyList<(string Name, FeatureType Type)> schema) => new()
    {
        [MetadataKey] = JsonSerializer.Serialize(schema.ToDictionary(c => c.Name, c => c.Type.ToString(), StringComparer.Ordinal)),
    };

    /// <summary>The recorded types by column; empty for a snapshot written before they were recorded.</summary>
    public static IReadOnlyDictionary<string, FeatureType> Parse(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || !metadata.TryGetValue(MetadataKey, out var json)) return new Dictionary<string, FeatureType>();
        var names = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        var types = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        foreach (var (column, name) in names)
            if (Enum.TryParse<FeatureType>(name, out var type)) types[column] = type;
        return types;
    }
}
