using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan At);

/// <summary>
/// A real HTTP receiver on a free loopback port (HttpListener). Each path answers with what its script says for the
/// n-th request to it (1-based); a script may also wait before answering, to play a receiver that hangs.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, Func<int, Task<int>>> _scripts = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>A URL on this receiver whose answers follow <paramref name="script"/>.</summary>
    public string Url(string path, Func<int, Task<int>> script)
    {
        _scripts[path] = script;
        return $"http://127.0.0.1:{Port}/{path}";
    }

    public string Url(string path, params int[] statuses) =>
        Url(path, n => Task.FromResult(statuses[Math.Min(n, statuses.Length) - 1]));

    public IReadOnlyList<ReceivedWebhook> On(string path) => Received.Where(r => r.Path == path).ToList();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath.Trim('/');
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new ReceivedWebhook(path, headers, body, _clock.Elapsed));
            var n = _counts.AddOrUpdate(path, 1, (_, c) => c + 1);
            var status = _scripts.TryGetValue(path, out var script) ? await script(n) : 404;
            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception)
        {
            // The sender gave up (timeout) and closed the connection; nothing to answer.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
