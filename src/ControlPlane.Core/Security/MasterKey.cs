using System.Security.Cryptography;
using System.Text;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Core.Security;

/// <summary>
/// The 256-bit key that encrypts the Data Protection key ring at rest, held outside the database: from
/// <c>ControlPlane:Secrets:MasterKey</c>, from <c>ControlPlane:Secrets:MasterKeyFile</c>, or (embedded default and single
/// nodes) a file generated once under the data directory. Its <see cref="Fingerprint"/> names it in stored keys and
/// errors without revealing it.
/// </summary>
public sealed class MasterKey
{
    public const int Length = 32;
    public const string Setting = "ControlPlane:Secrets:MasterKey";
    public const string FileSetting = "ControlPlane:Secrets:MasterKeyFile";
    public const string PreviousSetting = "ControlPlane:Secrets:PreviousMasterKeys";

    /// <summary>How long a start waits for another start that is writing the generated key file.</summary>
    private static readonly TimeSpan WriterGrace = TimeSpan.FromSeconds(10);

    private readonly byte[] _key;

    private MasterKey(byte[] key, string source)
    {
        _key = key;
        Source = source;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData([.. "ControlPlane master key "u8, .. key]).AsSpan(0, 8));
    }

    /// <summary>16 hex digits derived from the key by a one-way hash: safe to store and show.</summary>
    public string Fingerprint { get; }

    /// <summary>Where the key came from (a setting's name or a file path), for logs and errors.</summary>
    public string Source { get; }

    /// <summary>Keys this one replaced in a rotation: read, never written with; the start-up re-encrypts what they sealed.</summary>
    public IReadOnlyList<MasterKey> Previous { get; private set; } = [];

    /// <summary>This key or a previous one with the fingerprint; null when none has it.</summary>
    public MasterKey? Find(string? fingerprint) =>
        fingerprint == Fingerprint ? this : Previous.FirstOrDefault(k => k.Fingerprint == fingerprint);

    /// <summary>The generated key's path under a data directory.</summary>
    public static string DefaultPath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "secrets", "master.key");

    public static MasterKey FromBytes(byte[] key, string source = "bytes")
    {
        if (key.Length != Length)
        {
            throw new ArgumentException($"A master key is {Length} bytes; this one is {key.Length}.", nameof(key));
        }

        return new MasterKey((byte[])key.Clone(), source);
    }

    /// <summary>
    /// Reads the configured key, or the generated file (made on first start with owner-only permissions), with the
    /// previous keys of a rotation (<c>ControlPlane:Secrets:PreviousMasterKeys</c>), which only ever decrypt.
    /// </summary>
    public static MasterKey Load(ControlPlaneOptions options, ILogger logger)
    {
        var current = Current(options, logger);
        current.Previous = options.Secrets.PreviousMasterKeys
            .Select((text, i) => new MasterKey(Parse(text, $"{PreviousSetting}:{i}"), $"{PreviousSetting}:{i}"))
            .Where(k => k.Fingerprint != current.Fingerprint)
            .DistinctBy(k => k.Fingerprint)
            .ToList();
        return current;
    }

    private static MasterKey Current(ControlPlaneOptions options, ILogger logger)
    {
        var secrets = options.Secrets;
        if (!string.IsNullOrWhiteSpace(secrets.MasterKey))
        {
            return new MasterKey(Parse(secrets.MasterKey, Setting), Setting);
        }

        if (!string.IsNullOrWhiteSpace(secrets.MasterKeyFile))
        {
            var path = Path.GetFullPath(secrets.MasterKeyFile);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{FileSetting} names {path}, which does not exist.");
            }

            return new MasterKey(Parse(File.ReadAllText(path), $"{FileSetting} ({path})"), path);
        }

        var generated = DefaultPath(options.DataDirectory);
        if (TryCreate(generated) is { } created)
        {
            logger.LogWarning(
                "Generated the master key for secrets at {Path} (fingerprint {Fingerprint}). Back it up apart from the database: "
                + "without it stored credentials cannot be read. Nodes that do not share this folder need the same key in {Setting}.",
                generated, created.Fingerprint, Setting);
            return created;
        }

        return new MasterKey(ReadGenerated(generated), generated);
    }

    /// <summary>Generates a key in base64, as the setting and the file hold it.</summary>
    public static string NewBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(Length));

    /// <summary>AES-256-GCM: nonce, ciphertext and tag in one array; <paramref name="context"/> is bound to it.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        var sealedBytes = new byte[AesGcm.NonceByteSizes.MaxSize + plaintext.Length + AesGcm.TagByteSizes.MaxSize];
        var nonce = sealedBytes.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var cipher = sealedBytes.AsSpan(nonce.Length, plaintext.Length);
        var tag = sealedBytes.AsSpan(nonce.Length + plaintext.Length);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, tag.Length);
        aes.Encrypt(nonce, plaintext, cipher, tag, context);
        return sealedBytes;
    }

    /// <summary>Reverses <see cref="Encrypt"/>; throws <see cref="CryptographicException"/> if the bytes or context were changed.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> context)
    {
        const int overhead = 12 + 16;
        if (sealedBytes.Length < overhead)
        {
            throw new CryptographicException("The encrypted value is too short to hold a nonce and a tag.");
        }

        var nonce = sealedBytes[..12];
        var tag = sealedBytes[^16..];
        var cipher = sealedBytes[12..^16];
        var plaintext = new byte[cipher.Length];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Decrypt(nonce, cipher, tag, plaintext, context);
        return plaintext;
    }

    private static byte[] Parse(string text, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64. Make a key with: openssl rand -base64 32");
        }

        if (key.Length != Length)
        {
            throw new InvalidOperationException(
                $"{source} holds {key.Length} bytes; a master key is {Length} random bytes in base64 (44 characters). Make one with: openssl rand -base64 32");
        }

        return key;
    }

    /// <summary>
    /// Creates the file with owner-only permissions and returns its key; null when it exists already. Exclusive creation
    /// (O_CREAT|O_EXCL) decides between racing starts: exactly one creates the file, on every local file system. (A
    /// temporary file moved into place is not enough: <see cref="File.Move(string, string, bool)"/> without overwrite
    /// checks and renames in two steps on some file systems, so two racers could both "win" and keep different keys.)
    /// </summary>
    private static MasterKey? TryCreate(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, file);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }

        var text = NewBase64();
        using (stream)
        {
            // One write of 45 bytes; a racer reading meanwhile sees a short file and waits (ReadGenerated).
            stream.Write(Encoding.ASCII.GetBytes(text + "\n"));
            stream.Flush(flushToDisk: true);
        }

        return new MasterKey(Convert.FromBase64String(text), path);
    }

    /// <summary>
    /// Reads the generated key. A file shorter than a key and only just written is another start still writing it: read
    /// again for up to <see cref="WriterGrace"/>. Anything else that is not a key is named with what to do.
    /// </summary>
    private static byte[] ReadGenerated(string path)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = File.ReadAllText(path).Trim();
            var beingWritten = text.Length < 44 && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < WriterGrace;
            if (!beingWritten || waited.Elapsed >= WriterGrace)
            {
                if (text.Length == 0)
                {
                    throw new InvalidOperationException(
                        $"The generated master key file {path} is empty (a start stopped while writing it?). If nothing was stored "
                        + $"with it yet, delete it and start again; otherwise restore it from a backup, or set {Setting}.");
                }

                return Parse(text, path);
            }

            Thread.Sleep(20);
        }
    }
}
