namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>The inferred schema and per-column statistics of one dataset version.</summary>
public sealed record TableProfile(long RowCount, IReadOnlyList<ColumnProfile> Columns)
{
    public ColumnProfile this[string name] => Columns.Single(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
