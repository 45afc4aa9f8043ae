using System.Globalization;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>Figures as a report writes them: "62.0 %", "1,234".</summary>
internal static class Figures
{
    public static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.0} %");

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Quote(object? value) => value switch
    {
        null => "(empty)",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => $"'{value}'",
    };
}
