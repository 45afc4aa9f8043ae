namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Exact count, min, max and mean of a column's numbers, and a reservoir sample of 10,000 of them for the histogram.
/// Bin edges are 20 equal widths between the exact min and max; bin counts are exact while the column has at most
/// 10,000 numbers and estimated from the sample (scaled to the count) beyond that, so one pass is enough.
/// </summary>
internal sealed class NumberSummary(int seed)
{
    public const int SampleSize = 10_000;
    public const int Bins = 20;

    private readonly double[] _sample = new double[SampleSize];
    private readonly Random _random = new(seed); // seeded: the same file always gets the same profile

    public long Count { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double Sum { get; private set; }

    public void Add(double value)
    {
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        if (Count <= SampleSize)
        {
            _sample[Count - 1] = value;
        }
        else
        {
            var j = _random.NextInt64(Count);
            if (j < SampleSize)
            {
                _sample[j] = value;
            }
        }
    }

    public IReadOnlyList<HistogramBin> Histogram()
    {
        if (Count == 0)
        {
            return [];
        }

        var held = (int)Math.Min(Count, SampleSize);
        var counts = new long[Bins];
        var width = (Max - Min) / Bins;
        for (var i = 0; i < held; i++)
        {
            var bin = width == 0 ? 0 : (int)((_sample[i] - Min) / width);
            counts[Math.Clamp(bin, 0, Bins - 1)]++;
        }

        var scale = (double)Count / held;
        var bins = new HistogramBin[width == 0 ? 1 : Bins];
        for (var b = 0; b < bins.Length; b++)
        {
            var upper = b == Bins - 1 ? Max : Min + (width * (b + 1));
            bins[b] = new HistogramBin(Min + (width * b), width == 0 ? Max : upper, (long)Math.Round(counts[b] * scale));
        }

        return bins;
    }
}
