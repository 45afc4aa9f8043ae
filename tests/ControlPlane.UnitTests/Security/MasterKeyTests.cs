using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Xml.Linq;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.UnitTests.Security;

public sealed class MasterKeyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-masterkey-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_configured_key_wins_over_the_file_and_its_fingerprint_is_stable_and_not_the_key()
    {
        var text = MasterKey.NewBase64();
        var options = Options(key: text, file: Path.Combine(_folder, "missing.key"));

        var a = MasterKey.Load(options, NullLogger.Instance);
        var b = MasterKey.Load(options, NullLogger.Instance);

        Assert.Equal(MasterKey.Setting, a.Source);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", a.Fingerprint);
        Assert.DoesNotContain(a.Fingerprint, Convert.ToHexStringLower(Convert.FromBase64String(text)), StringComparison.Ordinal);
        Assert.NotEqual(a.Fingerprint, MasterKey.Load(Options(key: MasterKey.NewBase64()), NullLogger.Instance).Fingerprint);
        Assert.False(Directory.Exists(Path.Combine(_folder, "secrets"))); // nothing generated when one is configured
    }

    [Theory]
    [InlineData("not base64!", "ControlPlane:Secrets:MasterKey is not base64")]
    [InlineData("c2hvcnQ=", "ControlPlane:Secrets:MasterKey holds 5 bytes; a master key is 32 random bytes")]
    public void A_bad_key_is_refused_with_the_setting_named_and_how_to_make_one(string value, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(Options(key: value), NullLogger.Instance));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Previous_keys_decrypt_what_they_sealed_but_new_values_are_sealed_with_the_current_key()
    {
        var old = MasterKey.NewBase64();
        var current = MasterKey.NewBase64();
        var before = MasterKey.Load(Options(key: old), NullLogger.Instance);
        var sealedBefore = MasterKeyXml.Encrypt(before, new XElement("masterKey", "material"));
        var options = Options(key: current);
        options.Secrets.PreviousMasterKeys = [old, current, old]; // the current key and repeats are ignored

        var key = MasterKey.Load(options, NullLogger.Instance);

        Assert.Equal([before.Fingerprint], key.Previous.Select(p => p.Fingerprint));
        Assert.Equal("material", MasterKeyXml.Decrypt(key, sealedBefore).Value);
        Assert.Equal(key.Fingerprint, (string?)MasterKeyXml.Encrypt(key, new XElement("masterKey", "x")).Attribute("fingerprint"));
        Assert.Same(key.Previous[0], key.Find(before.Fingerprint));
        Assert.Null(key.Find("0000000000000000"));
        options.Secrets.PreviousMasterKeys = ["c2hvcnQ="];
        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(options, NullLogger.Instance));
        Assert.StartsWith("ControlPlane:Secrets:PreviousMasterKeys:0 holds 5 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_is_read_and_a_missing_one_is_named()
    {
        var path = Path.Combine(_folder, "mounted.key");
        File.WriteAllText(path, MasterKey.NewBase64() + "\n");

        Assert.Equal(path, MasterKey.Load(Options(file: path), NullLogger.Instance).Source);
        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(Options(file: path + ".gone"), NullLogger.Instance));
        Assert.Equal($"ControlPlane:Secrets:MasterKeyFile names {path}.gone, which does not exist.", error.Message);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // file modes are checked where they exist
    public void Without_settings_a_key_is_generated_once_for_the_owner_only_and_read_again_after()
    {
        var first = MasterKey.Load(Options(), NullLogger.Instance);
        var second = MasterKey.Load(Options(), NullLogger.Instance);

        var path = MasterKey.DefaultPath(_folder);
        Assert.Equal((path, path), (first.Source, second.Source));
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path)).Length);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void Many_starts_racing_on_an_empty_folder_all_end_with_the_same_key()
    {
        // Twenty rounds of sixteen racers, each on a fresh folder: one round in CI once ended with two keys.
        for (var round = 0; round < 20; round++)
        {
            var folder = Path.Combine(_folder, $"round-{round}");
            var keys = new MasterKey[16];
            using var start = new Barrier(keys.Length);
            var threads = Enumerable.Range(0, keys.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                keys[i] = MasterKey.Load(Options(folder: folder), NullLogger.Instance);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            var onDisk = MasterKey.Load(Options(folder: folder), NullLogger.Instance).Fingerprint;
            Assert.All(keys, k => Assert.Equal(onDisk, k.Fingerprint));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(MasterKey.DefaultPath(folder))!));
        }
    }

    [Fact]
    public async Task A_start_waits_for_another_still_writing_the_generated_key()
    {
        var path = MasterKey.DefaultPath(_folder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ""); // created by the other start, not yet written
        var text = MasterKey.NewBase64();
        var writer = Task.Run(async () =>
        {
            await Task.Delay(300);
            await File.WriteAllTextAsync(path, text + "\n");
        });

        var key = MasterKey.Load(Options(), NullLogger.Instance);

        await writer;
        Assert.Equal(MasterKey.FromBytes(Convert.FromBase64String(text)).Fingerprint, key.Fingerprint);
    }

    [Fact]
    public void An_empty_generated_key_left_long_ago_is_named_with_what_to_do()
    {
        var path = MasterKey.DefaultPath(_folder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));

        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(Options(), NullLogger.Instance));

        Assert.Equal(
            $"The generated master key file {path} is empty (a start stopped while writing it?). If nothing was stored with it yet, "
            + "delete it and start again; otherwise restore it from a backup, or set ControlPlane:Secrets:MasterKey.",
            error.Message);
    }

    [Fact]
    public void A_key_ring_element_round_trips_and_shows_no_plaintext()
    {
        var key = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var secret = new XElement("masterKey", new XElement("value", "c2VjcmV0LWtleS1tYXRlcmlhbA=="));

        var encrypted = new MasterKeyXmlEncryptor(key).Encrypt(secret);

        Assert.Equal(typeof(MasterKeyXmlDecryptor), encrypted.DecryptorType);
        Assert.DoesNotContain("c2VjcmV0", encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(key.Fingerprint, (string?)encrypted.EncryptedElement.Attribute("fingerprint"));
        Assert.Equal(secret.ToString(), MasterKeyXml.Decrypt(key, encrypted.EncryptedElement).ToString());
        Assert.NotEqual(encrypted.EncryptedElement.Value, MasterKeyXml.Encrypt(key, secret).Value); // a fresh nonce each time
    }

    [Fact]
    public void A_changed_ciphertext_or_another_key_does_not_decrypt()
    {
        var key = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var other = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var encrypted = MasterKeyXml.Encrypt(key, new XElement("masterKey", "material"));
        var bytes = Convert.FromBase64String(encrypted.Value);
        bytes[20] ^= 1;
        var tampered = new XElement(encrypted) { Value = Convert.ToBase64String(bytes) };

        Assert.ThrowsAny<CryptographicException>(() => MasterKeyXml.Decrypt(key, tampered));
        var mismatch = Assert.ThrowsAny<CryptographicException>(() => MasterKeyXml.Decrypt(other, encrypted));
        Assert.Contains($"encrypted with master key {key.Fingerprint}", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains($"is {other.Fingerprint}", mismatch.Message, StringComparison.Ordinal);
    }

    private ControlPlaneOptions Options(string? key = null, string? file = null, string? folder = null) =>
        new() { DataDirectory = folder ?? _folder, Secrets = { MasterKey = key, MasterKeyFile = file } };
}
