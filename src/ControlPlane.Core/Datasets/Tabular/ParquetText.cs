using System.Globalization;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>The one text form of an instant that both Parquet classes produce and accept.</summary>
internal static class ParquetText
{
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>
    /// Parquet timestamps without the UTC flag are wall-clock times with no zone; reading them as UTC keeps the
    /// digits the producer wrote instead of shifting them by this server's zone.
    /// </summary>
    public static string Instant(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return utc.ToString(InstantFormat, CultureInfo.InvariantCulture);
    }
}
