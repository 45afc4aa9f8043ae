namespace ControlPlane.ML.Rules;

/// <summary>A raw column as the mapping assistant compares it: its words without a prefix every column of the export carries.</summary>
internal sealed record MappingColumn(RawColumn Raw, string[] Words)
{
    public string Name => Raw.Name;

    /// <summary>The words that are not units ("spend" of "spend_cents"), or all of them when nothing else is left.</summary>
    public string[] Core { get; } = MappingSynonyms.WithoutUnits(Words);

    public static IReadOnlyList<MappingColumn> All(IReadOnlyList<RawColumn> columns)
    {
        var split = columns.Select(c => ColumnNameTokens.Split(c.Name)).ToArray();

        // Exports often prefix every column with the system's name ("crm_", "zd_"): that word tells nothing apart.
        var prefix = split.Length >= 3 && split.All(w => w.Length > 1) ? split[0][0] : null;
        if (prefix is not null && split.All(w => w[0] == prefix))
        {
            split = split.Select(w => w[1..]).ToArray();
        }

        return columns.Select((c, i) => new MappingColumn(c, split[i])).ToArray();
    }
}
