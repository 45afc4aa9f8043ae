using System.Numerics;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Everything the profiler learns about one column in one pass: how many values fit each candidate type, and the
/// statistics of each, so the type can be decided (or overridden) at the end without reading the file again.
/// </summary>
internal sealed class ColumnAccumulator(string name, int seed)
{
    public const int DistinctLimit = 10_000;

    public string Name { get; } = name;

    public long Count { get; private set; }

    public long Nulls { get; private set; }

    public long NonNull => Count - Nulls;

    public long BooleanFits { get; private set; }

    /// <summary>One bit per boolean spelling seen (true/false/yes/no/y/n/1/0, case folded).</summary>
    public int BooleanSpellings { get; private set; }

    public NumberSummary Numbers { get; } = new(seed);

    /// <summary>The dates as days since 0001-01-01 (with the time of day as a fraction), for the date column's histogram.</summary>
    public NumberSummary Dates { get; } = new(seed);

    public long DateFits { get; private set; }

    public DateTime? MinDate { get; private set; }

    public DateTime? MaxDate { get; private set; }

    public long TotalLength { get; private set; }

    public long WithSpaces { get; private set; }

    /// <summary>Counts per distinct value, exact until <see cref="DistinctLimit"/> values; later new values are not added.</summary>
    public Dictionary<string, long> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Non-null values seen when the distinct limit was reached; estimates the distinct share of a big column.</summary>
    public long NonNullAtLimit { get; private set; }

    public int SpellingCount => BitOperations.PopCount((uint)BooleanSpellings);

    /// <summary>The only boolean spellings seen are "1" and "0" (bits 6 and 7 of <see cref="BooleanSpellings"/>).</summary>
    public bool OnlyNumericBooleans => BooleanSpellings != 0 && (BooleanSpellings & ~0b1100_0000) == 0;

    public void Add(string? cell)
    {
        Count++;
        if (cell is null)
        {
            Nulls++;
            return;
        }

        TotalLength += cell.Length;
        var span = cell.AsSpan();
        if (span.Contains(' '))
        {
            WithSpaces++;
        }

        CountValue(cell);
        var spelling = CellParsers.BooleanSpelling(span);
        if (spelling >= 0)
        {
            BooleanFits++;
            BooleanSpellings |= 1 << spelling;
        }

        if (CellParsers.TryNumber(span, out var number))
        {
            Numbers.Add(number);
        }
        else if (CellParsers.TryDateTime(span, out var date))
        {
            DateFits++;
            Dates.Add(date.Ticks / (double)TimeSpan.TicksPerDay);
            MinDate = MinDate is { } min && min <= date ? min : date;
            MaxDate = MaxDate is { } max && max >= date ? max : date;
        }
    }

    private void CountValue(string cell)
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(Values, cell);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
        {
            count++;
        }
        else if (Values.Count < DistinctLimit)
        {
            Values[cell] = 1;
        }
        else if (NonNullAtLimit == 0)
        {
            NonNullAtLimit = NonNull;
        }
    }
}
