using System.Globalization;

namespace ControlPlane.Web.Components.Models;

/// <summary>A linear axis: maps values of a domain onto pixels and gives round tick values for its labels.</summary>
public sealed record ChartScale(double Min, double Max, double From, double To)
{
    public double Map(double value) => Max == Min ? (From + To) / 2 : From + ((value - Min) / (Max - Min) * (To - From));

    /// <summary>A scale over the values with a little room on both sides, or [0, 1] when there are none.</summary>
    public static ChartScale Fit(IEnumerable<double> values, double from, double to, bool includeZero = false)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (includeZero)
        {
            list.Add(0);
        }

        if (list.Count == 0)
        {
            return new ChartScale(0, 1, from, to);
        }

        double min = list.Min(), max = list.Max();
        var pad = max == min ? (max == 0 ? 1 : Math.Abs(max) * 0.05) : (max - min) * 0.05;
        return new ChartScale(includeZero && min >= 0 ? 0 : min - pad, includeZero && max <= 0 ? 0 : max + pad, from, to);
    }

    /// <param name="integers">Whole-number ticks only (version numbers).</param>
    public IReadOnlyList<double> Ticks(int count = 5, bool integers = false)
    {
        var span = Max - Min;
        if (span <= 0)
        {
            return [Min];
        }

        var raw = span / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        if (integers)
        {
            step = Math.Max(1, Math.Ceiling(step));
        }

        var ticks = new List<double>();
        for (var t = Math.Ceiling(Min / step) * step; t <= Max + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }

        return ticks;
    }

    public static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Label(double value) =>
        Math.Abs(value) >= 10_000 ? value.ToString("0.#E+0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
