namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// The shape every table reader (CSV, Parquet, SQL) refuses before it does work proportional to it: a file of one row
/// and 100,000 columns once took minutes and gigabytes to profile. Each limit is checked on the header (or the Parquet
/// footer, or the query's field list) before any row is read, and its message names the limit and where it was hit.
/// Decision 0036.
/// </summary>
public static class TableLimits
{
    /// <summary>Columns in one table: far above any tenant's extract, far below what profiling can afford.</summary>
    public const int MaxColumns = 1_000;

    /// <summary>Characters in one column name.</summary>
    public const int MaxColumnNameChars = 256;

    /// <summary>Characters in the CSV header line (the names and their delimiters).</summary>
    public const int MaxHeaderChars = 256 * 1024;

    /// <summary>Characters in one cell: room for a long free-text field (a ticket body), not for a file inside a cell.</summary>
    public const int MaxFieldChars = 1024 * 1024;

    /// <summary>Bytes of a Parquet footer (its schema and row-group index), read before anything else of the file.</summary>
    public const int MaxParquetFooterBytes = 16 * 1024 * 1024;

    /// <summary>The refusal of a table with <paramref name="count"/> columns (null: more than the limit, not counted further).</summary>
    public static TableFormatException TooManyColumns(long? count) => new(
        $"The table has {(count is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : $"more than {MaxColumns:N0}")} columns; at most {MaxColumns:N0} are accepted. Drop the columns no feature uses before uploading.", 1);

    /// <summary>Refuses a column list that is too long or has a name over <see cref="MaxColumnNameChars"/>.</summary>
    public static void CheckColumns(IReadOnlyList<string?> names)
    {
        if (names.Count > MaxColumns)
        {
            throw TooManyColumns(names.Count);
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is { Length: > MaxColumnNameChars } name)
            {
                throw new TableFormatException(
                    $"The name of column {i + 1} ('{name[..40]}...') has {name.Length:N0} characters; at most {MaxColumnNameChars} are accepted.", 1);
            }
        }
    }

    /// <summary>The refusal of an over-long cell; <paramref name="unit"/> is "Line" (CSV) or "Row" (Parquet, SQL).</summary>
    public static TableFormatException FieldTooLong(string unit, long line, int column, string? columnName, int length) => new(
        $"{unit} {line}: the value of {(columnName is null ? $"column {column}" : $"column '{columnName}'")} has {length:N0} characters; " +
        $"at most {MaxFieldChars:N0} are accepted in one cell.", line, columnName);
}
