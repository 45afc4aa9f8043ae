namespace ControlPlane.Core.DemoData;

/// <summary>Where a tenant's customers are: which countries show up, which currency, when they are awake.</summary>
internal sealed record DemoRegion(string Key, string Currency, string CurrencySymbol, int UtcOffsetHours, DemoWeightedChoice Countries)
{
    private static readonly DemoRegion Us = new(
        "us", "USD", "$", -6, new(["US", "CA", "MX", "BR", "GB"], [0.8, 0.11, 0.04, 0.03, 0.02]));

    private static readonly DemoRegion Eu = new(
        "eu",
        "EUR",
        "€",
        1,
        new(
            ["DE", "FR", "NL", "ES", "IT", "SE", "PL", "BE", "AT", "IE", "DK"],
            [0.22, 0.16, 0.12, 0.1, 0.09, 0.07, 0.07, 0.05, 0.05, 0.04, 0.03]));

    private static readonly DemoRegion Apac = new(
        "apac", "USD", "$", 8, new(["AU", "JP", "SG", "IN", "NZ", "KR"], [0.3, 0.2, 0.15, 0.2, 0.07, 0.08]));

    private static readonly DemoRegion Global = new(
        "global",
        "USD",
        "$",
        0,
        new(["US", "GB", "DE", "FR", "IN", "AU", "CA", "JP", "BR", "NL"], [0.35, 0.1, 0.1, 0.07, 0.08, 0.06, 0.08, 0.06, 0.05, 0.05]));

    public static DemoRegion For(string region)
    {
        var key = region.Trim().ToLowerInvariant();
        if (key.StartsWith("us", StringComparison.Ordinal) || key.StartsWith("na", StringComparison.Ordinal))
        {
            return Us;
        }

        if (key.StartsWith("eu", StringComparison.Ordinal) || key is "uk" or "gb")
        {
            return Eu;
        }

        return key.StartsWith("ap", StringComparison.Ordinal) || key.StartsWith("asia", StringComparison.Ordinal) ? Apac : Global;
    }
}
