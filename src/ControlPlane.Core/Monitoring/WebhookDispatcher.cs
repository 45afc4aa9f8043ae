using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// Sends due webhook deliveries; runs on every node. A node claims a delivery with a conditional UPDATE that moves its
/// next-attempt time past now (a lease of timeout + 30 s): of two nodes racing for it, one updates a row and the other
/// none, so an attempt is sent once. Sends run concurrently up to a limit, each with its own timeout.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<ControlPlaneDbContext> dbs, WebhookService webhooks, WebhookWakeUp wakeUp, IOptions<ControlPlaneOptions> options,
    TimeProvider time, EgressPolicy egress, NotificationEvents events, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    private readonly string _node = Clip($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", 64);
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, // a redirect could carry the signed body somewhere nobody configured
        UseProxy = false, // the egress policy judges the receiver's address, which a proxy would hide
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = (context, ct) => ConnectAsync(egress, context, ct),
    }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Every connection resolves the receiver's host once, checks each address against the egress policy and connects
    /// to those very addresses: a name that resolved to a public address when the endpoint was saved and to a private
    /// one now (DNS rebinding) is refused here.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(EgressPolicy egress, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await egress.ResolveAsync(context.DnsEndPoint.Host, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private WebhookOptions Options => options.Value.Webhooks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Options.MaxConcurrency);
        var sending = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await DueAsync(Options.MaxConcurrency * 2, stoppingToken);
                foreach (var id in due)
                {
                    await slots.WaitAsync(stoppingToken);
                    var send = Task.Run(async () =>
                    {
                        try
                        {
                            await ClaimAndSendAsync(id, stoppingToken);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }, CancellationToken.None);
                    lock (sending)
                    {
                        sending.Add(send);
                    }

                    _ = send.ContinueWith(t => { lock (sending) { sending.Remove(t); } }, TaskScheduler.Default);
                }

                await wakeUp.WaitAsync(await UntilNextDueAsync(stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Webhook dispatch pass failed; trying again shortly");
                await Task.Delay(Options.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        Task[] running;
        lock (sending)
        {
            running = [.. sending];
        }

        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task<List<Guid>> DueAsync(int take, CancellationToken ct)
    {
        var now = Now;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>Sleep until the next pending delivery is due, but no longer than the poll interval (other nodes queue too).</summary>
    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var next = await db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Pending)
            .OrderBy(d => d.NextAttemptAt).Select(d => (DateTime?)d.NextAttemptAt).FirstOrDefaultAsync(ct);
        var wait = next is { } at ? at - Now : Options.PollInterval;
        return wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait > Options.PollInterval ? Options.PollInterval : wait;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task ClaimAndSendAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var now = Now;
            var lease = now + Options.Timeout + LeaseMargin;
            await using var db = await dbs.CreateDbContextAsync(ct);
            var claimed = await db.WebhookDeliveries
                .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, lease).SetProperty(d => d.ClaimedBy, _node), ct);
            if (claimed != 1)
            {
                return; // another node has it
            }

            var delivery = await db.WebhookDeliveries.Include(d => d.Endpoint).Include(d => d.Notification).FirstAsync(d => d.Id == id, ct);
            var outcome = await SendAsync(delivery, ct);
            Record(delivery, outcome);
            await db.SaveChangesAsync(CancellationToken.None);
            events.Publish(new NotificationEvent(NotificationEvent.Delivery, delivery.Id)); // the delivery log shows it at once
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and a node sends it again.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Webhook delivery {DeliveryId} could not be processed; it is retried after its lease", id);
        }
    }

    /// <summary>What one attempt came to; <paramref name="Final"/> when trying again cannot help (the egress policy refused).</summary>
    private sealed record Outcome(int? StatusCode, string? Error, long DurationMs, TimeSpan? RetryAfter, bool Final = false);

    private async Task<Outcome> SendAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var body = Payload(delivery.Notification!);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Endpoint!.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ControlPlane-Event", delivery.Notification!.Kind);
        request.Headers.Add("X-ControlPlane-Delivery", delivery.Id.ToString());
        request.Headers.Add("X-ControlPlane-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-ControlPlane-Signature", WebhookSignature.Sign(webhooks.Unprotect(delivery.Endpoint), timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ControlPlane-Webhooks", "1"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return new Outcome(code, RetrySchedule.IsSuccess(code) ? null : RetrySchedule.Describe(response.StatusCode),
                clock.ElapsedMilliseconds, RetrySchedule.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome(null, $"Timed out after {Options.Timeout.TotalSeconds:0.###} s.", clock.ElapsedMilliseconds, null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is EgressRefusedException refused)
        {
            return new Outcome(null, $"Not sent: {refused.Message}", 0, null, Final: true);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(null, $"Connection failed: {ex.Message}", clock.ElapsedMilliseconds, null);
        }
    }

    private void Record(WebhookDelivery delivery, Outcome outcome)
    {
        var now = Now;
        delivery.Attempts++;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = outcome.Error is { Length: > 1000 } e ? e[..1000] : outcome.Error;
        DateTime? retryAt = null;
        if (outcome.StatusCode is { } code && RetrySchedule.IsSuccess(code))
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
        }
        else if (!outcome.Final && RetrySchedule.IsRetryable(outcome.StatusCode) && delivery.Attempts < Options.MaxAttempts)
        {
            retryAt = now + RetrySchedule.Delay(delivery.Attempts, Options, outcome.RetryAfter, Random.Shared);
            delivery.NextAttemptAt = retryAt.Value;
        }
        else
        {
            delivery.Status = DeliveryStatus.Failed;
        }

        var log = JsonSerializer.Deserialize<List<DeliveryAttempt>>(delivery.AttemptLog, AlertService.Json) ?? [];
        log.Add(new DeliveryAttempt(delivery.Attempts, now, outcome.StatusCode, delivery.LastError, outcome.DurationMs, retryAt));
        delivery.AttemptLog = JsonSerializer.Serialize(log, AlertService.Json);
        if (delivery.Status != DeliveryStatus.Delivered)
        {
            // The URL may carry a token in its query; only the endpoint's id and name are logged.
            logger.LogInformation("Webhook delivery {DeliveryId} to endpoint {Endpoint} attempt {Attempt}: {Error}; {Next}",
                delivery.Id, delivery.Endpoint!.Name, delivery.Attempts, delivery.LastError,
                retryAt is null ? "failed" : $"retry at {retryAt:O}");
        }
    }

    /// <summary>The JSON body every receiver gets.</summary>
    public static string Payload(Notification n) => JsonSerializer.Serialize(new
    {
        id = n.Id,
        kind = n.Kind,
        severity = n.Severity.ToString().ToLowerInvariant(),
        title = n.Title,
        message = n.Message,
        tenant = n.TenantSlug,
        useCase = n.UseCaseKey,
        link = n.Link,
        data = n.DataJson is null ? (JsonElement?)null : JsonDocument.Parse(n.DataJson).RootElement,
        createdAt = n.CreatedAt,
    }, AlertService.Json);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[^max..];

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
