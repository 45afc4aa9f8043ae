using System.Diagnostics.Metrics;
using System.Threading.Channels;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Predictions;

/// <summary>
/// The real-time side of the prediction log: the predict route offers each answered row, a sample of them
/// (<see cref="ServingOptions.LogSampleRate"/>) is queued without waiting, and a background writer stores the queue
/// every second in one insert. The queue is bounded: if the database falls behind, entries are dropped rather than
/// slowing predictions down — counted in the log, in <see cref="DroppedTotal"/> and in the
/// <c>controlplane_prediction_log_dropped_total</c> metric.
/// </summary>
public sealed class PredictionLogBuffer : BackgroundService
{
    private const int Capacity = 20_000;
    private const int BatchSize = 2_000;
    // Wait mode, written only with TryWrite: a full queue makes TryWrite return false at once, so the drop is counted.
    // (DropWrite would drop silently: its TryWrite reports success for the dropped item too.)
    private readonly Channel<PredictionLogEntry> _queue = Channel.CreateBounded<PredictionLogEntry>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly IDbContextFactory<ControlPlaneDbContext> _dbs;
    private readonly IOptions<ControlPlaneOptions> _options;
    private readonly ILogger<PredictionLogBuffer> _logger;
    private long _dropped;
    private long _droppedTotal;

    public PredictionLogBuffer(
        IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, ILogger<PredictionLogBuffer> logger, IMeterFactory? meters = null)
    {
        (_dbs, _options, _logger) = (dbs, options, logger);
        var meter = meters?.Create(ModelCache.MeterName) ?? new Meter(ModelCache.MeterName);
        meter.CreateObservableCounter("controlplane.prediction_log.dropped", () => DroppedTotal, unit: "{prediction}",
            description: "Sampled real-time predictions not logged: the log's queue was full (the database fell behind) or storing them failed.");
    }

    /// <summary>Sampled predictions not logged since start: the queue was full, or storing their batch failed.</summary>
    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    /// <summary>Whether this row should be logged (decided before its inputs are serialized).</summary>
    public bool Sample()
    {
        var rate = _options.Value.Serving.LogSampleRate;
        return rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);
    }

    public void Offer(PredictionLogEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
            Interlocked.Increment(ref _droppedTotal);
        }
    }

    /// <summary>Writes what is queued now (tests, and shutdown); returns once a flush already under way has finished too.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var batch = new List<PredictionLogEntry>(BatchSize);
            while (_queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
                if (batch.Count == BatchSize)
                {
                    await SaveAsync(batch, ct);
                    batch.Clear();
                }
            }

            if (batch.Count > 0) await SaveAsync(batch, ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await FlushQuietlyAsync(CancellationToken.None);
    }

    private async Task FlushQuietlyAsync(CancellationToken ct)
    {
        try
        {
            await FlushAsync(ct);
            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                _logger.LogWarning("Prediction log: {Dropped} sampled predictions dropped because the queue was full", dropped);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Prediction log: could not store sampled predictions; they are lost, predictions are not affected");
        }
    }

    private async Task SaveAsync(List<PredictionLogEntry> batch, CancellationToken ct)
    {
        try
        {
            await using var db = await _dbs.CreateDbContextAsync(ct);
            db.PredictionLog.AddRange(batch);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // The batch is not retried (the queue behind it keeps filling): it counts as dropped.
            Interlocked.Add(ref _droppedTotal, batch.Count);
            throw;
        }
    }
}
