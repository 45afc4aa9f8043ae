namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>A file that cannot be read as a table; the message names the line or row and the column where possible.</summary>
public sealed class TableFormatException(string message, long? line = null, string? column = null) : Exception(message)
{
    /// <summary>1-based line of the file (CSV) or row (Parquet) where the problem is, when known.</summary>
    public long? Line { get; } = line;

    public string? Column { get; } = column;
}
