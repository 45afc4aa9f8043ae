namespace ControlPlane.Core.DemoData;

/// <summary>Renders snake_case tokens the way a tenant's export tool would write them.</summary>
internal static class DemoColumnNamer
{
    private static readonly HashSet<string> Acronyms =
        new(["id", "nps", "api", "sla", "mrr", "utm", "ttr", "hq", "vp", "rma", "crm", "sso"], StringComparer.Ordinal);

    public static string Render(string snake, DemoNamingStyle style, string? prefix)
    {
        var tokens = (prefix is null ? snake : prefix + "_" + snake).Split('_', StringSplitOptions.RemoveEmptyEntries);
        return style switch
        {
            DemoNamingStyle.Camel => tokens[0] + string.Concat(tokens.Skip(1).Select(Capitalize)),
            DemoNamingStyle.Pascal => string.Concat(tokens.Select(Capitalize)),
            DemoNamingStyle.UpperSnake => string.Join('_', tokens).ToUpperInvariant(),
            DemoNamingStyle.TitleWords => string.Join(' ', tokens.Select(TitleWord)),
            _ => string.Join('_', tokens),
        };
    }

    /// <summary>Spreadsheet-style word: acronyms upper-cased, everything else capitalized.</summary>
    public static string TitleWord(string token) => Acronyms.Contains(token) ? token.ToUpperInvariant() : Capitalize(token);

    private static string Capitalize(string token) =>
        token.Length == 0 ? token : char.ToUpperInvariant(token[0]) + token[1..];
}
