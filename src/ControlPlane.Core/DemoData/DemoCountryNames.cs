namespace ControlPlane.Core.DemoData;

/// <summary>Spellings tenants use for the same country: ISO 3166 alpha-2 (canonical), alpha-3, or English name.</summary>
internal static class DemoCountryNames
{
    private static readonly Dictionary<string, (string Alpha3, string Name)> ByCode = new(StringComparer.Ordinal)
    {
        ["US"] = ("USA", "United States"),
        ["CA"] = ("CAN", "Canada"),
        ["MX"] = ("MEX", "Mexico"),
        ["BR"] = ("BRA", "Brazil"),
        ["GB"] = ("GBR", "United Kingdom"),
        ["DE"] = ("DEU", "Germany"),
        ["FR"] = ("FRA", "France"),
        ["NL"] = ("NLD", "Netherlands"),
        ["ES"] = ("ESP", "Spain"),
        ["IT"] = ("ITA", "Italy"),
        ["SE"] = ("SWE", "Sweden"),
        ["PL"] = ("POL", "Poland"),
        ["BE"] = ("BEL", "Belgium"),
        ["AT"] = ("AUT", "Austria"),
        ["IE"] = ("IRL", "Ireland"),
        ["DK"] = ("DNK", "Denmark"),
        ["AU"] = ("AUS", "Australia"),
        ["JP"] = ("JPN", "Japan"),
        ["SG"] = ("SGP", "Singapore"),
        ["IN"] = ("IND", "India"),
        ["NZ"] = ("NZL", "New Zealand"),
        ["KR"] = ("KOR", "South Korea"),
    };

    public static string Spell(string alpha2, DemoCountryStyle style) => style switch
    {
        DemoCountryStyle.Alpha3 => ByCode[alpha2].Alpha3,
        DemoCountryStyle.Name => ByCode[alpha2].Name,
        _ => alpha2,
    };
}
