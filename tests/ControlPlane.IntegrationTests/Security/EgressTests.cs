using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using ControlPlane.Core.Monitoring;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Monitoring;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>An app whose egress policy allows two documentation addresses only: loopback is refused as on a real server.</summary>
public sealed class EgressFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        // These replace the test default entries (loopback).
        ["ControlPlane:Egress:Allow:0"] = "192.0.2.1",
        ["ControlPlane:Egress:Allow:1"] = "192.0.2.2",
    };
}

/// <summary>
/// Issue 16, point 2: webhooks and SQL sources reach only what the egress policy allows; the addresses the issue found
/// accepted and contacted are refused when saved, and a saved address is checked again at connection time.
/// </summary>
public abstract class EgressTests<TProvider>(EgressFixture<TProvider> fixture) : IClassFixture<EgressFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    public static TheoryData<string> InternalUrls() =>
    [
        "http://127.0.0.1/hook", "http://localhost:8080/hook", "http://[::1]/hook", "http://2130706433/hook", "http://127.1/hook",
        "http://0.0.0.0/hook", "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/",
        "http://10.0.0.1/hook", "https://192.168.0.10/hook", "http://[::ffff:127.0.0.1]/hook",
    ];

    [Theory]
    [MemberData(nameof(InternalUrls))]
    public async Task A_webhook_to_an_internal_address_is_a_400_at_url_and_is_not_stored(string url)
    {
        using var admin = App.CreateAdminClient();
        var name = $"egress-{Guid.NewGuid():N}"[..20];

        var response = await admin.PostJsonAsync("/api/v1/webhooks", new { name, url, eventKinds = new[] { "drift" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.ReadNodeAsync()).FieldErrors("url"));
        Assert.Contains("The server may not connect to", error, StringComparison.Ordinal);
        Assert.Contains("ControlPlane:Egress:Allow", error, StringComparison.Ordinal);
        Assert.False(await App.WithDbAsync(db => db.WebhookEndpoints.AnyAsync(e => e.Name == name)));
    }

    [Fact]
    public async Task A_saved_webhook_whose_address_is_not_allowed_now_is_not_contacted_and_fails_without_retries()
    {
        // As after DNS rebinding or a narrowed policy: the row exists, the connection is judged again when it is made.
        await using var receiver = new WebhookReceiver();
        var id = Guid.NewGuid();
        var protector = App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(WebhookService.ProtectorPurpose);
        await App.WithDbAsync(async db =>
        {
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                Id = id, Name = $"rebound-{id:N}"[..20], Url = receiver.Url("rebound", 200), ProtectedSecret = protector.Protect("whsec_x"),
                EventKinds = "", Enabled = true, CreatedAt = DateTime.UtcNow, CreatedBy = "test",
            });
            return await db.SaveChangesAsync();
        });
        using var admin = App.CreateAdminClient();

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/webhooks/{id}/test", null)).StatusCode);

        var delivery = await Eventually.Until(
            async () => (await App.Services.GetRequiredService<WebhookService>().DeliveriesAsync(id)).Value!.Single(),
            d => d.Status != DeliveryStatus.Pending, "the delivery to end");
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Null(delivery.LastStatusCode);
        Assert.StartsWith("Not sent: The server may not connect to '127.0.0.1': it is a loopback address.", delivery.LastError, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port={port}", "may not connect to '127.0.0.1': it is a loopback address")]
    [InlineData("Host=localhost;Port={port}", "may not connect to 'localhost': it is a loopback address")]
    [InlineData("Host=2130706433;Port={port}", "it is a loopback address")]
    [InlineData("Host=169.254.169.254", "it is a link-local address")]
    [InlineData("Host=metadata.google.internal", "it names a cloud metadata service")]
    [InlineData("Host=10.1.2.3", "it is a private address")]
    [InlineData("Host=/var/run/postgresql", "A Unix socket connects to this server itself")]
    [InlineData("Host=192.0.2.1,127.0.0.1;Port={port}", "Give one host")]
    [InlineData("Host=192.0.2.1;Passfile=/etc/passwd", "'Passfile' names a file on this server")]
    public async Task A_sql_source_on_an_internal_address_is_a_400_at_the_connection_string_and_nothing_is_contacted(string target, string expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var connectionString = target.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            + ";Database=crm;Username=reader;Password=p;Timeout=3";

        var response = await admin.PutAsJsonAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/source",
            new { kind = "sql", connectionString, query = "SELECT 1 AS one" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, Assert.Single((await response.ReadNodeAsync()).FieldErrors("ConnectionString")), StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the refused source still connected to the listener");
        Assert.False(await App.WithDbAsync(db => db.DataSources.AnyAsync(s => s.Enrollment!.Tenant!.Slug == slug)));
    }
}

public sealed class EgressTestsOnSqlite(EgressFixture<Sqlite> fixture) : EgressTests<Sqlite>(fixture);

public sealed class EgressTestsOnPostgres(EgressFixture<Postgres> fixture) : EgressTests<Postgres>(fixture);
