namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>What one attempt to parse a CSV record found.</summary>
internal enum CsvStep
{
    Record,
    NeedMore,
    End,
}
