using System.Text.RegularExpressions;

namespace ControlPlane.Core.Common;

public static partial class Slug
{
    public const int MinLength = 3;
    public const int MaxLength = 48;

    /// <summary>
    /// Words the pages and routes use next to slugs (<c>/tenants/new</c>, <c>/admin</c>, ...): a tenant or use case
    /// named so would be hidden behind that page.
    /// </summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "new", "admin", "api", "edit", "settings", "search", "import", "export", "all", "none", "null", "undefined",
        "default", "system", "me", "login", "logout", "account", "health", "metrics", "error", "runs", "tenants", "use-cases",
    };

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

        if (!Pattern().IsMatch(value))
        {
            return $"{what} '{value}' may contain only lowercase letters a-z, digits and single hyphens, and must start and end with a letter or digit.";
        }

        return Reserved.Contains(value) ? $"{what} '{value}' is a reserved word (a page or route is named so); choose another, such as '{value}-1'." : null;
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
        var suggested = collapsed.Length > MaxLength ? collapsed[..MaxLength].Trim('-') : collapsed;
        return Reserved.Contains(suggested) ? $"{suggested}-1" : suggested;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlugChars();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}
