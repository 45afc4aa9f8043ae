namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>A reusable buffer of rows; <see cref="Rows"/>[i] has one cell per column, null for a missing value.</summary>
public sealed class RowBatch(int capacity = RowBatch.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    public int Capacity { get; } = capacity;

    public string?[][] Rows { get; } = new string?[capacity][];

    /// <summary>How many of <see cref="Rows"/> hold rows of this batch.</summary>
    public int Count { get; set; }

    /// <summary>The 1-based data row number of the batch's first row (the header is not counted).</summary>
    public long FirstRow { get; set; }
}
