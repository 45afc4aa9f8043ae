using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Core.Security;

/// <summary>
/// Generates high-entropy secrets (API keys, tokens) and hashes them for storage.
/// A 190-bit random secret needs no slow password hash: SHA-256 cannot be reversed or brute-forced for it.
/// </summary>
public static class SecretHasher
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /// <summary>Returns a secret "{kind}_{prefix}_{random}" and its public prefix.</summary>
    public static (string Secret, string Prefix) NewSecret(string kind)
    {
        var prefix = Random(8);
        return ($"{kind}_{prefix}_{Random(32)}", prefix);
    }

    /// <summary>Extracts the public prefix of a secret made by <see cref="NewSecret"/>, or null if it has the wrong shape.</summary>
    public static string? PrefixOf(string secret, string kind)
    {
        var parts = secret.Split('_');
        return parts.Length == 3 && parts[0] == kind && parts[1].Length == 8 && parts[2].Length == 32 ? parts[1] : null;
    }

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
