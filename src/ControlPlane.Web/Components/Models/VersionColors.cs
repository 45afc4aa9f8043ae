namespace ControlPlane.Web.Components.Models;

/// <summary>
/// The colour of each version in charts: a version keeps its colour on every chart of a page, because pages assign
/// colours by the version's position in the page's list of versions.
/// </summary>
public static class VersionColors
{
    private static readonly string[] Palette =
        ["#1e88e5", "#e65100", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a"];

    public static string At(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    /// <summary>Contribution bars: pushing the score up or down.</summary>
    public const string Positive = "#2e7d32";

    public const string Negative = "#c62828";
}
