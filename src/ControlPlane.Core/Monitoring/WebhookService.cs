using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

public sealed record CreateWebhookRequest(string? Name, string? Url, IReadOnlyList<string>? EventKinds, bool Enabled = true);

public sealed record WebhookView(Guid Id, string Name, string Url, IReadOnlyList<string> EventKinds, bool Enabled, DateTime CreatedAt, string CreatedBy)
{
    public static WebhookView Of(WebhookEndpoint e) => new(e.Id, e.Name, e.Url, e.Kinds, e.Enabled, e.CreatedAt, e.CreatedBy);
}

/// <summary>The endpoint and, only in the answer to its creation, its signing secret.</summary>
public sealed record CreatedWebhook(WebhookView Endpoint, string Secret);

public sealed record DeliveryView(Guid Id, Guid NotificationId, string Kind, string Title, DeliveryStatus Status, int Attempts,
    int? LastStatusCode, string? LastError, DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt, IReadOnlyList<DeliveryAttempt> Log);

/// <summary>
/// Webhook endpoints and their delivery logs. Secrets are generated here, returned once, and stored only encrypted
/// with Data Protection (the key ring every node shares), never logged.
/// </summary>
public sealed partial class WebhookService(
    IDbContextFactory<ControlPlaneDbContext> dbs, IDataProtectionProvider protection, AlertService alerts, TimeProvider time,
    Security.EgressPolicy egress)
{
    public const string ProtectorPurpose = "ControlPlane.Webhooks.v1";

    private IDataProtector Protector => protection.CreateProtector(ProtectorPurpose);

    public async Task<IReadOnlyList<WebhookView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Name).ToListAsync(ct);
        return rows.Select(WebhookView.Of).ToList();
    }

    public async Task<Result<CreatedWebhook>> CreateAsync(CreateWebhookRequest request, string actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors.Add("name", "Enter a name of 1 to 100 characters.");
        }

        if (CheckUrl(request.Url) is { } urlError)
        {
            errors.Add("url", urlError);
        }
        else if (await egress.CheckAsync(new Uri(request.Url!.Trim()).IdnHost, ct) is { } refused)
        {
            // Checked again at every connection, to the addresses checked then (WebhookDispatcher).
            errors.Add("url", refused);
        }

        var kinds = (request.EventKinds ?? []).Select(k => k?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (kinds.FirstOrDefault(k => !KindPattern().IsMatch(k)) is { } badKind)
        {
            errors.Add("eventKinds", $"'{badKind}' is not an alert kind (lower-case letters, digits and '-'; known: {string.Join(", ", AlertKinds.All)}).");
        }

        if (errors.Any)
        {
            return Result<CreatedWebhook>.Invalid(errors);
        }

        var secret = "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.NewGuid(),
            Name = name!,
            Url = request.Url!.Trim(),
            ProtectedSecret = Protector.Protect(secret),
            EventKinds = string.Join(' ', kinds),
            Enabled = request.Enabled,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedBy = actor,
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        return Result<CreatedWebhook>.Ok(new CreatedWebhook(WebhookView.Of(endpoint), secret));
    }

    /// <summary>Null when the URL is an absolute http(s) address; otherwise what is wrong with it.</summary>
    public static string? CheckUrl(string? url) =>
        string.IsNullOrWhiteSpace(url) ? "Enter the URL the alerts are posted to."
        : !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? $"'{url}' is not an absolute http or https URL."
        : url.Length > 2000 ? "The URL is longer than 2000 characters."
        : !string.IsNullOrEmpty(uri.UserInfo) ? "Put no user name or password in the URL; receivers verify the signature instead."
        : null;

    public async Task<Result<WebhookView>> SetEnabledAsync(Guid id, bool enabled, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result<WebhookView>.NotFound(Missing(id));
        }

        endpoint.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        return Result<WebhookView>.Ok(WebhookView.Of(endpoint));
    }

    /// <summary>Deletes the endpoint and its delivery log; deliveries still pending are dropped with it.</summary>
    public async Task<Result<WebhookView>> DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result<WebhookView>.NotFound(Missing(id));
        }

        await db.WebhookDeliveries.Where(d => d.EndpointId == id).ExecuteDeleteAsync(ct);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        return Result<WebhookView>.Ok(WebhookView.Of(endpoint));
    }

    /// <summary>Queues a test event for this endpoint (even when disabled: checking it before enabling it is the point).</summary>
    public async Task<Result<DeliveryView>> SendTestAsync(Guid id, string actor, CancellationToken ct = default)
    {
        WebhookEndpoint? endpoint;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        }

        if (endpoint is null)
        {
            return Result<DeliveryView>.NotFound(Missing(id));
        }

        var notification = await alerts.SendTestAsync(endpoint, actor, ct);
        var deliveries = await DeliveriesAsync(id, ct);
        return Result<DeliveryView>.Ok(deliveries.Value!.First(d => d.NotificationId == notification.Id));
    }

    public async Task<Result<IReadOnlyList<DeliveryView>>> DeliveriesAsync(Guid id, CancellationToken ct = default, int take = 100)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, ct))
        {
            return Result<IReadOnlyList<DeliveryView>>.NotFound(Missing(id));
        }

        var rows = await db.WebhookDeliveries.AsNoTracking().Include(d => d.Notification).Where(d => d.EndpointId == id)
            .OrderByDescending(d => d.CreatedAt).Take(take).ToListAsync(ct);
        return Result<IReadOnlyList<DeliveryView>>.Ok(rows.Select(View).ToList());
    }

    internal string Unprotect(WebhookEndpoint endpoint) => Protector.Unprotect(endpoint.ProtectedSecret);

    private static DeliveryView View(WebhookDelivery d) => new(d.Id, d.NotificationId, d.Notification?.Kind ?? "", d.Notification?.Title ?? "",
        d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.CreatedAt,
        d.DeliveredAt, JsonSerializer.Deserialize<List<DeliveryAttempt>>(d.AttemptLog, AlertService.Json) ?? []);

    private static string Missing(Guid id) => $"Webhook endpoint '{id}' does not exist.";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex KindPattern();
}
