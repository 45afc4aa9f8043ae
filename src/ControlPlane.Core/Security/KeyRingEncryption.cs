using System.Xml;
using System.Xml.Linq;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Core.Security;

/// <summary>
/// Run at start, before anything reads the key ring: refuses to start when the stored keys were encrypted with another
/// master key (a node configured apart from the others would otherwise make a key ring of its own and sign everyone out),
/// and encrypts, in place, keys an earlier version stored in plaintext or a rotation's previous master key sealed (same
/// key material, so nothing protected with them is lost).
/// </summary>
public sealed class KeyRingEncryption(IDbContextFactory<ControlPlaneDbContext> dbs, MasterKey key, ILogger<KeyRingEncryption> logger)
{
    /// <summary>Returns how many stored keys were (re-)encrypted now.</summary>
    public async Task<int> CheckAndEncryptAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.DataProtectionKeys.ToListAsync(ct);
        var encrypted = 0;
        foreach (var row in rows)
        {
            if (Parse(row.Xml) is not { } xml)
            {
                continue;
            }

            var rotated = false;
            foreach (var secret in xml.Descendants(MasterKeyXml.Element).ToList())
            {
                var fingerprint = (string?)secret.Attribute(MasterKeyXml.FingerprintAttribute);
                if (key.Find(fingerprint) is null)
                {
                    throw new InvalidOperationException(MasterKeyXml.MismatchMessage(fingerprint, key));
                }

                if (fingerprint != key.Fingerprint)
                {
                    // Sealed with a previous key of a rotation: re-encrypt with the current one.
                    secret.ReplaceWith(MasterKeyXml.Encrypt(key, MasterKeyXml.Decrypt(key, secret)));
                    rotated = true;
                }
            }

            if (EncryptMarked(xml) | rotated)
            {
                row.Xml = xml.ToString(SaveOptions.DisableFormatting);
                encrypted++;
            }
        }

        if (encrypted > 0)
        {
            await db.SaveChangesAsync(ct);
            logger.LogWarning("Encrypted {Count} stored Data Protection keys (in plaintext or under a previous master key) with the master key {Fingerprint}",
                encrypted, key.Fingerprint);
        }

        return encrypted;
    }

    /// <summary>Replaces every element marked "requires encryption" by its encrypted form, as Data Protection stores it.</summary>
    private bool EncryptMarked(XElement xml)
    {
        var changed = false;
        while (xml.Descendants().FirstOrDefault(e => (bool?)e.Attribute(MasterKeyXml.RequiresEncryption) == true) is { } plain)
        {
            plain.ReplaceWith(new XElement(MasterKeyXml.EncryptedSecret,
                new XAttribute(MasterKeyXml.DecryptorTypeAttribute, typeof(MasterKeyXmlDecryptor).AssemblyQualifiedName!),
                MasterKeyXml.Encrypt(key, new XElement(plain))));
            changed = true;
        }

        return changed;
    }

    private static XElement? Parse(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return null; // not ours to mend; Data Protection reports an unreadable key itself
        }
    }
}
