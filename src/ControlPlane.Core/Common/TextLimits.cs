namespace ControlPlane.Core.Common;

/// <summary>Fitting text into a column of limited length.</summary>
public static class TextLimits
{
    /// <summary>The text, or its first <paramref name="max"/> − 1 characters and "…" when it is longer than <paramref name="max"/>.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
