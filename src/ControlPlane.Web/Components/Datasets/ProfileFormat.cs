using ControlPlane.ML;
using System.Globalization;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.UseCases;

namespace ControlPlane.Web.Components.Datasets;

/// <summary>Short texts for column statistics: numbers in three significant digits, dates as days.</summary>
public static class ProfileFormat
{
    public static string Summary(ColumnProfile c) => c switch
    {
        { Type: FeatureType.Number, Min: { } min, Max: { } max, Mean: { } mean } => $"min {Number(min)} · max {Number(max)} · mean {Number(mean)}",
        { Type: FeatureType.DateTime, MinDate: { } from, MaxDate: { } to } => $"{from:yyyy-MM-dd} – {to:yyyy-MM-dd}",
        { AverageLength: { } length } => $"average length {length:0.#}",
        _ => "—",
    };

    public static string Number(double value) =>
        Math.Abs(value) >= 1e6 || (value != 0 && Math.Abs(value) < 1e-3)
            ? value.ToString("0.##E+0", CultureInfo.InvariantCulture)
            : value.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Label(string value) => value.Length <= 14 ? value : string.Concat(value.AsSpan(0, 13), "…");
}
