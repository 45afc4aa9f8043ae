using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// The signature a receiver checks: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c>
/// keyed with the endpoint's secret (its UTF-8 bytes). The timestamp is signed too so a captured request cannot be
/// replayed later: receivers reject timestamps outside their window (docs/webhooks.md suggests five minutes).
/// </summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, string body)
    {
        var message = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>What a receiver does: recompute, compare in constant time, and refuse an old or future timestamp.</summary>
    public static bool Verify(string secret, string timestampHeader, string body, string signatureHeader, DateTimeOffset now, TimeSpan window)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > window.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}
