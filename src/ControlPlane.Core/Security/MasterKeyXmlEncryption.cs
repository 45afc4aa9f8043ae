using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Core.Security;

/// <summary>
/// The stored form of a Data Protection key's secret part, encrypted with the <see cref="MasterKey"/>:
/// <c>&lt;masterKeyEncrypted xmlns="urn:controlplane:master-key" fingerprint="…"&gt;base64&lt;/…&gt;</c>.
/// </summary>
public static class MasterKeyXml
{
    public static readonly XNamespace Namespace = "urn:controlplane:master-key";
    public static readonly XName Element = Namespace + "masterKeyEncrypted";
    public const string FingerprintAttribute = "fingerprint";

    /// <summary>The Data Protection key ring's own markers (its XML namespace).</summary>
    public static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    public static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";
    public static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    public const string DecryptorTypeAttribute = "decryptorType";

    private static ReadOnlySpan<byte> Context => "ControlPlane.DataProtection.KeyRing.v1"u8;

    public static XElement Encrypt(MasterKey key, XElement plaintext)
    {
        var bytes = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        try
        {
            return new XElement(Element, new XAttribute(FingerprintAttribute, key.Fingerprint), Convert.ToBase64String(key.Encrypt(bytes, Context)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static XElement Decrypt(MasterKey key, XElement encrypted)
    {
        if (encrypted.Name != Element)
        {
            throw new CryptographicException($"Expected a {Element.LocalName} element, found {encrypted.Name.LocalName}.");
        }

        var fingerprint = (string?)encrypted.Attribute(FingerprintAttribute);
        var sealedWith = key.Find(fingerprint) ?? throw new CryptographicException(MismatchMessage(fingerprint, key));
        var bytes = sealedWith.Decrypt(Convert.FromBase64String(encrypted.Value), Context);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static string MismatchMessage(string? stored, MasterKey key) =>
        $"The Data Protection key ring in the database was encrypted with master key {stored ?? "(unknown)"}, but this node's master key "
        + $"({key.Source}) is {key.Fingerprint}{(key.Previous.Count == 0 ? "" : $" (previous: {string.Join(", ", key.Previous.Select(p => p.Fingerprint))})")}. "
        + $"Give every node the same {MasterKey.Setting} (or {MasterKey.FileSetting}); to rotate, list the old key in {MasterKey.PreviousSetting}.";
}

/// <summary>Encrypts the key ring's secret elements with the master key before Data Protection stores them.</summary>
public sealed class MasterKeyXmlEncryptor(MasterKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(MasterKeyXml.Encrypt(key, plaintextElement), typeof(MasterKeyXmlDecryptor));
}

/// <summary>Made by Data Protection's activator (by type name, with the app's services) to read stored keys.</summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        MasterKeyXml.Decrypt(services.GetRequiredService<MasterKey>(), encryptedElement);
}
