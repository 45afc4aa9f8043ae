using System.Text.RegularExpressions;

namespace ControlPlane.Core.Common;

public static partial class Slug
{
    public const int MinLength = 3;
    public const int MaxLength = 48;

    /// <summary>Returns a message saying what is wrong with the slug, or null when it is valid.</summary>
    public static string? Problem(string? value, string what = "Slug")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{what} is required.";
        }

        if (value.Length < MinLength || value.Length > MaxLength)
        {
            return $"{what} must be {MinLength} to {MaxLength} characters long (got {value.Length}).";
        }

        return Pattern().IsMatch(value)
            ? null
            : $"{what} '{value}' may contain only lowercase letters a-z, digits and single hyphens, and must start and end with a letter or digit.";
    }

    /// <summary>Suggests a slug for a display name ("Acme Corp." → "acme-corp").</summary>
    public static string Suggest(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        // "Société Générale" → "societe-generale": strip accents before dropping what a slug cannot hold.
        var plain = new string(name.Trim().ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            .ToArray());
        var lowered = NonSlugChars().Replace(plain, "-").Trim('-');
        var collapsed = Hyphens().Replace(lowered, "-");
        return collapsed.Length > MaxLength ? collapsed[..MaxLength].Trim('-') : collapsed;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlugChars();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}
