using System.Runtime.Versioning;
using System.Xml.Linq;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>The Data Protection key ring (which encrypts source credentials, webhook secrets and cookies) at rest.</summary>
public abstract class MasterKeyTests<TProvider> where TProvider : IProviderKind
{
    private const string Purpose = "ControlPlane.Tests.MasterKey";

    [Fact]
    public async Task The_key_ring_is_stored_encrypted_with_the_master_key_and_what_it_protects_reads_back()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        await using var app = new ControlPlaneApp(database);

        var token = Protector(app).Protect("Host=db;Password=s3cret");

        var rows = await StoredKeysAsync(app);
        Assert.NotEmpty(rows);
        var expected = MasterKey.FromBytes(Convert.FromBase64String(ControlPlaneApp.MasterKey)).Fingerprint;
        Assert.All(rows, xml =>
        {
            Assert.DoesNotContain("requiresEncryption", xml, StringComparison.Ordinal); // nothing left in plaintext
            Assert.Equal(expected, (string?)XElement.Parse(xml).Descendants(MasterKeyXml.Element).Single().Attribute("fingerprint"));
        });
        Assert.Equal("Host=db;Password=s3cret", Protector(app).Unprotect(token));
    }

    [Fact]
    public async Task A_key_ring_an_earlier_version_stored_in_plaintext_is_encrypted_at_start_and_still_unprotects()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        string token;
        await using (var earlier = new ControlPlaneApp(database) { OwnsStorage = false })
        {
            earlier.TestServices.Add(s => s.PostConfigure<KeyManagementOptions>(o => o.XmlEncryptor = null)); // as before decision 0031
            token = Protector(earlier).Protect("webhook-secret");
            Assert.Contains("requiresEncryption", Assert.Single(await StoredKeysAsync(earlier)), StringComparison.Ordinal);
        }

        await using var upgraded = new ControlPlaneApp(database);
        var stored = Assert.Single(await StoredKeysAsync(upgraded));

        Assert.DoesNotContain("requiresEncryption", stored, StringComparison.Ordinal);
        Assert.Single(XElement.Parse(stored).Descendants(MasterKeyXml.Element));
        Assert.Equal("webhook-secret", Protector(upgraded).Unprotect(token));
        Assert.Equal(0, await upgraded.Services.GetRequiredService<KeyRingEncryption>().CheckAndEncryptAsync()); // once only
    }

    [Fact]
    public async Task A_node_with_another_master_key_refuses_to_start_and_names_both_fingerprints()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        await using (var first = new ControlPlaneApp(database) { OwnsStorage = false })
        {
            Protector(first).Protect("anything");
        }

        var other = MasterKey.NewBase64();
        await using var stranger = new ControlPlaneApp(database);
        stranger.Settings[MasterKey.Setting] = other;

        var error = Assert.ThrowsAny<Exception>(() => stranger.Services);
        var message = Flatten(error);
        Assert.Contains(MasterKey.FromBytes(Convert.FromBase64String(ControlPlaneApp.MasterKey)).Fingerprint, message, StringComparison.Ordinal);
        Assert.Contains(MasterKey.FromBytes(Convert.FromBase64String(other)).Fingerprint, message, StringComparison.Ordinal);
        Assert.Contains("Give every node the same ControlPlane:Secrets:MasterKey", message, StringComparison.Ordinal);
        Assert.DoesNotContain(other, message, StringComparison.Ordinal); // the key itself is never shown
    }

    [Fact]
    public async Task Rotating_re_encrypts_the_key_ring_with_the_new_key_and_afterwards_the_old_key_alone_is_refused()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        string token;
        await using (var before = new ControlPlaneApp(database) { OwnsStorage = false })
        {
            token = Protector(before).Protect("Host=db;Password=s3cret");
        }

        var next = MasterKey.NewBase64();
        var nextFingerprint = MasterKey.FromBytes(Convert.FromBase64String(next)).Fingerprint;
        await using (var rotating = new ControlPlaneApp(database) { OwnsStorage = false })
        {
            rotating.Settings[MasterKey.Setting] = next;
            rotating.Settings[$"{MasterKey.PreviousSetting}:0"] = ControlPlaneApp.MasterKey;
            var stored = Assert.Single(await StoredKeysAsync(rotating));
            Assert.Equal(nextFingerprint, (string?)XElement.Parse(stored).Descendants(MasterKeyXml.Element).Single().Attribute("fingerprint"));
            Assert.Equal("Host=db;Password=s3cret", Protector(rotating).Unprotect(token));
        }

        await using (var rotated = new ControlPlaneApp(database) { OwnsStorage = false })
        {
            rotated.Settings[MasterKey.Setting] = next; // the previous key dropped once every node has the new one
            Assert.Equal("Host=db;Password=s3cret", Protector(rotated).Unprotect(token));
        }

        await using var stale = new ControlPlaneApp(database); // a node still on the old key
        var error = Flatten(Assert.ThrowsAny<Exception>(() => stale.Services));
        Assert.Contains($"encrypted with master key {nextFingerprint}", error, StringComparison.Ordinal);
        Assert.Contains("to rotate, list the old key in ControlPlane:Secrets:PreviousMasterKeys", error, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // file modes are checked where they exist
    public async Task Without_a_configured_key_one_is_generated_once_in_the_data_folder_for_the_owner_only()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        await using var app = new ControlPlaneApp(database);
        app.Settings[MasterKey.Setting] = null;

        Protector(app).Protect("anything");

        var path = MasterKey.DefaultPath(app.DataDirectory);
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var generated = app.Services.GetRequiredService<MasterKey>();
        Assert.Equal(path, generated.Source);
        var stored = Assert.Single(await StoredKeysAsync(app));
        Assert.Equal(generated.Fingerprint, (string?)XElement.Parse(stored).Descendants(MasterKeyXml.Element).Single().Attribute("fingerprint"));
    }

    private static IDataProtector Protector(ControlPlaneApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private static Task<List<string>> StoredKeysAsync(ControlPlaneApp app) =>
        app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());

    private static string Flatten(Exception error) =>
        error is AggregateException many ? string.Join(" | ", many.Flatten().InnerExceptions.Select(e => e.Message)) : error.ToString();
}

public sealed class MasterKeyTestsOnSqlite : MasterKeyTests<Sqlite>;

public sealed class MasterKeyTestsOnPostgres : MasterKeyTests<Postgres>;
