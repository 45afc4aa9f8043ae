using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>A tenant's rows on a pooled model's canonical columns, and each row's entity key as the tenant's rules read it.</summary>
/// <param name="EntityKeys">Null when the tenant's rules map no entity key.</param>
public sealed record CanonicalRows(RawTable Table, IReadOnlyList<string?>? EntityKeys);

/// <summary>Maps a tenant's raw rows onto canonical columns one row at a time (<see cref="CanonicalMapping.CreateRowMapper"/>); not thread-safe.</summary>
public sealed class CanonicalRowMapper
{
    private readonly RawRowMapper _mapper;
    private readonly IReadOnlyList<RawColumn> _canonical;
    private readonly DataViewSchema.Column?[] _sources;
    private readonly DataViewSchema.Column? _key;
    private Func<double>?[]? _numbers;
    private Func<string?>?[]? _texts;
    private Func<string?>? _readKey;

    private readonly string? _tenant;

    internal CanonicalRowMapper(RawRowMapper mapper, IReadOnlyList<RawColumn> canonical, DataViewSchema.Column?[] sources, DataViewSchema.Column? key, string? tenant)
    {
        _tenant = tenant;
        _mapper = mapper;
        _canonical = canonical;
        _sources = sources;
        _key = key;
    }

    /// <summary>The rows (in the tenant model's input columns) as a table of the canonical columns, in their order.</summary>
    public CanonicalRows Map(RawTable rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var count = rows.RowCount;
        var numbers = _sources.Select(s => s is { } c && c.Type is not TextDataViewType ? new double[count] : null).ToArray();
        var texts = _sources.Select(s => s is { Type: TextDataViewType } ? new string?[count] : null).ToArray();
        var keys = _key is null ? null : new string?[count];
        for (var r = 0; r < count; r++)
        {
            var row = _mapper.Map(rows, r);
            if (_numbers is null)
            {
                Bind(row);
            }

            for (var c = 0; c < _sources.Length; c++)
            {
                if (numbers[c] is { } n) n[r] = _numbers![c]!();
                else if (texts[c] is { } t) t[r] = _texts![c]!();
            }

            if (keys is not null) keys[r] = _readKey!();
        }

        var columns = _canonical.Select((column, c) => _sources[c] is not null
            ? CanonicalTable.Column(column.Name, column.Type, numbers[c], texts[c])
            : column.Name == CanonicalTable.TenantColumn && _tenant is not null
                ? RawTableColumn.Strings(column.Name, column.Type, Enumerable.Repeat<string?>(_tenant, count).ToArray())
                : RawTableColumn.Missing(column.Name, column.Type, count)).ToArray();
        return new CanonicalRows(new RawTable(columns), keys);
    }

    /// <summary>Getters on the mapper's output row, bound once: the row object stays the same from call to call.</summary>
    private void Bind(DataViewRow row)
    {
        _numbers = new Func<double>?[_sources.Length];
        _texts = new Func<string?>?[_sources.Length];
        for (var c = 0; c < _sources.Length; c++)
        {
            if (_sources[c] is not { } source)
            {
                continue;
            }

            var column = row.Schema[source.Name];
            if (column.Type is TextDataViewType) _texts[c] = Text(row, column);
            else _numbers[c] = Number(row, column);
        }

        if (_key is { } key)
        {
            _readKey = Text(row, row.Schema[key.Name]);
        }
    }

    /// <summary>Read as <see cref="CanonicalTable"/> reads a whole column: Single, Double, or a flag as 1/0.</summary>
    private static Func<double> Number(DataViewRow row, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case NumberDataViewType t when t == NumberDataViewType.Single:
            {
                var get = row.GetGetter<float>(column);
                var value = 0f;
                return () => { get(ref value); return value; };
            }
            case NumberDataViewType t when t == NumberDataViewType.Double:
            {
                var get = row.GetGetter<double>(column);
                var value = 0d;
                return () => { get(ref value); return value; };
            }
            case BooleanDataViewType:
            {
                var get = row.GetGetter<bool>(column);
                var value = false;
                return () => { get(ref value); return value ? 1.0 : 0.0; };
            }
            default:
                throw new InvalidOperationException($"The rules' column '{column.Name}' is of type {column.Type}, which no canonical column is read from.");
        }
    }

    private static Func<string?> Text(DataViewRow row, DataViewSchema.Column column)
    {
        var get = row.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        return () =>
        {
            get(ref value);
            return value.IsEmpty ? null : value.ToString();
        };
    }
}
