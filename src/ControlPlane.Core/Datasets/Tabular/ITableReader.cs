namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// A forward-only source of rows (a CSV or Parquet upload): a header, then rows of raw text cells read in batches so
/// that a file of millions of rows is never held whole. A missing value is null.
/// </summary>
public interface ITableReader : IAsyncDisposable
{
    /// <summary>Column names in file order, unique (readers reject duplicate or empty names).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Fills <paramref name="batch"/> with up to its capacity of rows and returns how many (0 at the end).
    /// Throws <see cref="TableFormatException"/> that names the line (or row) and column of the problem.
    /// </summary>
    ValueTask<int> ReadBatchAsync(RowBatch batch, CancellationToken ct = default);
}
