using ControlPlane.ML;
using ControlPlane.Core.UseCases;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Profiles a table in one streaming pass: feed it every batch of an <see cref="ITableReader"/>, then call
/// <see cref="Complete"/>. Memory is bounded per column (10,000 distinct values and a 10,000-number sample),
/// whatever the row count. Type rules are in <see cref="TypeInference"/>.
/// </summary>
public sealed class ColumnProfiler
{
    private const int TopValueCount = 10;

    private readonly ColumnAccumulator[] _columns;
    private readonly IReadOnlyDictionary<string, FeatureType> _overrides;
    private long _rows;

    /// <param name="overrides">Types the tenant chose for some columns by name; misfits are then counted against those.</param>
    public ColumnProfiler(IReadOnlyList<string> columns, IReadOnlyDictionary<string, FeatureType>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.Select((name, i) => new ColumnAccumulator(name, i + 1)).ToArray();
        _overrides = overrides ?? new Dictionary<string, FeatureType>();
    }

    public void Add(RowBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var r = 0; r < batch.Count; r++)
        {
            var row = batch.Rows[r];
            for (var c = 0; c < _columns.Length; c++)
            {
                _columns[c].Add(row[c]);
            }
        }

        _rows += batch.Count;
    }

    public TableProfile Complete() => new(_rows, _columns.Select(Profile).ToArray());

    /// <summary>Reads a whole table through a profiler.</summary>
    public static async Task<TableProfile> ProfileAsync(
        ITableReader reader, IReadOnlyDictionary<string, FeatureType>? overrides = null, int batchSize = RowBatch.DefaultCapacity, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var profiler = new ColumnProfiler(reader.Columns, overrides);
        var batch = new RowBatch(batchSize);
        while (await reader.ReadBatchAsync(batch, ct) > 0)
        {
            profiler.Add(batch);
        }

        return profiler.Complete();
    }

    private ColumnProfile Profile(ColumnAccumulator c)
    {
        var inferred = TypeInference.Infer(c);
        var overridden = _overrides.TryGetValue(c.Name, out var chosen);
        var type = overridden ? chosen : inferred;
        var numbers = c.Numbers;
        var isNumber = type == FeatureType.Number && numbers.Count > 0;
        var isDate = type == FeatureType.DateTime;
        return new ColumnProfile
        {
            Name = c.Name,
            Type = type,
            InferredType = inferred,
            IsOverridden = overridden,
            Count = c.Count,
            Nulls = c.Nulls,
            DistinctCount = c.Values.Count,
            DistinctIsLowerBound = c.NonNullAtLimit > 0,
            Misfits = TypeInference.Misfits(c, type),
            Min = isNumber ? numbers.Min : null,
            Max = isNumber ? numbers.Max : null,
            Mean = isNumber ? numbers.Sum / numbers.Count : null,
            Histogram = isNumber ? numbers.Histogram() : [],
            TopValues = type is FeatureType.Category or FeatureType.Boolean ? TopValues(c) : [],
            MinDate = isDate ? c.MinDate : null,
            DateHistogram = isDate && c.Dates.Count > 0 ? c.Dates.Histogram() : [],
            MaxDate = isDate ? c.MaxDate : null,
            AverageLength = c.NonNull > 0 ? (double)c.TotalLength / c.NonNull : null,
        };
    }

    private static ValueCount[] TopValues(ColumnAccumulator c) =>
        c.Values.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(TopValueCount).Select(p => new ValueCount(p.Key, p.Value)).ToArray();
}
