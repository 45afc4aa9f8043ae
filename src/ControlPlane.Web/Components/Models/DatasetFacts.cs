using ControlPlane.Core.Datasets;

namespace ControlPlane.Web.Components.Models;

/// <summary>Short texts about the dataset version a model was trained on.</summary>
public static class DatasetFacts
{
    public static string? TimeRange(DatasetVersionSummary d) =>
        d.TimeFrom is { } from && d.TimeTo is { } to ? $"{from:yyyy-MM-dd} – {to:yyyy-MM-dd}" : null;

    public static string ShortHash(string? sha) => sha is { Length: > 12 } ? sha[..12] : sha ?? "—";
}
