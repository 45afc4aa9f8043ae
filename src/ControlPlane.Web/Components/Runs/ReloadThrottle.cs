using System.Diagnostics;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// Coalesces the reloads that run events ask for: the first starts at once, later ones start at most once per interval,
/// one at a time, and any number of requests while one waits cost a single reload. <see cref="Request"/> may be called
/// from any thread (run events arrive on the publisher's thread).
/// </summary>
public sealed class ReloadThrottle(TimeSpan interval, Func<Task> reload, Action<Exception> onError) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private long _lastStart;
    private bool _waiting;
    private bool _stopped;

    public void Request()
    {
        lock (_gate)
        {
            if (_waiting || _stopped)
            {
                return;
            }

            _waiting = true;
        }

        _ = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var last = Interlocked.Read(ref _lastStart);
            var wait = last == 0 ? TimeSpan.Zero : interval - Stopwatch.GetElapsedTime(last);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop);
            }

            await _oneAtATime.WaitAsync(stop);
            try
            {
                lock (_gate)
                {
                    _waiting = false;
                }

                Interlocked.Exchange(ref _lastStart, Stopwatch.GetTimestamp());
                await reload();
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the request and the reload.
        }
        catch (Exception ex)
        {
            onError(ex);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        _stop.Cancel();
    }
}
