using ControlPlane.Core.Datasets.Tabular;

namespace ControlPlane.UnitTests.Datasets;

/// <summary>An <see cref="ITableReader"/> over rows made on demand: a list in memory, or a generator for big tables.</summary>
internal sealed class ListTableReader(IReadOnlyList<string> columns, long rowCount, Func<long, string?[]> row) : ITableReader
{
    private long _next;

    public ListTableReader(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows)
        : this(columns, rows.Count, i => rows[(int)i]) { }

    public IReadOnlyList<string> Columns => columns;

    /// <summary>Called before each batch; lets a test sample memory while a consumer is working.</summary>
    public Action? OnBatch { get; init; }

    public ValueTask<int> ReadBatchAsync(RowBatch batch, CancellationToken ct = default)
    {
        OnBatch?.Invoke();
        batch.FirstRow = _next + 1;
        var count = (int)Math.Min(batch.Capacity, rowCount - _next);
        for (var i = 0; i < count; i++) batch.Rows[i] = row(_next++);
        batch.Count = count;
        return ValueTask.FromResult(count);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
