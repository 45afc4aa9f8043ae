namespace ControlPlane.ML.Rules;

/// <summary>
/// Raw rows in columns, typed as the dataset version stores them: numbers as <c>double?[]</c>, booleans as <c>bool?[]</c>,
/// date-times (UTC) as <c>DateTime?[]</c>, categories and text as <c>string?[]</c>; null is missing.
/// </summary>
public sealed class RawTable
{
    public RawTable(IReadOnlyList<RawTableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        if (columns.FirstOrDefault(c => c.Length != RowCount) is { } ragged)
        {
            throw new ArgumentException($"Column '{ragged.Name}' has {ragged.Length} rows, not {RowCount}.", nameof(columns));
        }

        Columns = columns;
    }

    public int RowCount { get; }

    public IReadOnlyList<RawTableColumn> Columns { get; }

    public IReadOnlyList<RawColumn> Schema => Columns.Select(c => new RawColumn(c.Name, c.Type)).ToArray();
}

public sealed class RawTableColumn
{
    private RawTableColumn(string name, FeatureType type, Array values)
    {
        Name = name;
        Type = type;
        Values = values;
    }

    public string Name { get; }

    public FeatureType Type { get; }

    /// <summary><c>double?[]</c>, <c>bool?[]</c>, <c>DateTime?[]</c> or <c>string?[]</c>, by <see cref="Type"/>.</summary>
    public Array Values { get; }

    public int Length => Values.Length;

    public static RawTableColumn Numbers(string name, double?[] values) => new(name, FeatureType.Number, values);

    public static RawTableColumn Booleans(string name, bool?[] values) => new(name, FeatureType.Boolean, values);

    public static RawTableColumn DateTimes(string name, DateTime?[] values) => new(name, FeatureType.DateTime, values);

    /// <summary>A column of <paramref name="rows"/> missing values of the type; its array may be filled in place.</summary>
    public static RawTableColumn Missing(string name, FeatureType type, int rows) => type switch
    {
        FeatureType.Number => Numbers(name, new double?[rows]),
        FeatureType.Boolean => Booleans(name, new bool?[rows]),
        FeatureType.DateTime => DateTimes(name, new DateTime?[rows]),
        _ => Strings(name, type, new string?[rows]),
    };

    public static RawTableColumn Strings(string name, FeatureType type, string?[] values) => type is FeatureType.Category or FeatureType.Text
        ? new(name, type, values)
        : throw new ArgumentException($"Column '{name}' of type {type} cannot hold strings.", nameof(type));
}
