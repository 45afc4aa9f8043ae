using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// A periodic job that one node of a cluster does per interval. Every executing node polls; the node that moves the
/// shared due time (an app setting under <see cref="DueKey"/>, by a conditional UPDATE) does the sweep. The first sweep is
/// one interval after the first node started, never at start-up.
/// </summary>
public abstract class ClaimedSweep(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    protected IDbContextFactory<ControlPlaneDbContext> Dbs { get; } = dbs;
    protected TimeProvider Time { get; } = time;
    protected ILogger Logger { get; } = logger;

    /// <summary>The app setting holding the next due time (UTC, round-trip format).</summary>
    protected abstract string DueKey { get; }

    /// <summary>Zero or less switches the sweep off.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What this sweep is, for logs ("monitoring sweep").</summary>
    protected abstract string Title { get; }

    /// <summary>The setting that switches it off, named in the log when it is off.</summary>
    protected abstract string IntervalSetting { get; }

    protected abstract Task SweepAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval <= TimeSpan.Zero)
        {
            Logger.LogInformation("The {Sweep} is off ({Setting} is zero)", Title, IntervalSetting);
            return;
        }

        using var timer = new PeriodicTimer(Poll < Interval ? Poll : Interval, Time);
        try
        {
            do
            {
                try
                {
                    if (await ClaimAsync(stoppingToken))
                    {
                        await SweepAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Logger.LogWarning(ex, "The {Sweep} failed; trying again in {Poll}", Title, Poll);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>True when this node moved the due time and so owns this sweep.</summary>
    public async Task<bool> ClaimAsync(CancellationToken ct)
    {
        var now = Clock.UtcNow(Time);
        var next = (now + Interval).ToString("O", CultureInfo.InvariantCulture);
        await using var db = await Dbs.CreateDbContextAsync(ct);
        var due = await db.AppSettings.AsNoTracking().Where(s => s.Key == DueKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        if (due is null)
        {
            db.AppSettings.Add(new AppSetting { Key = DueKey, Value = next, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node set the first due time.
            }

            return false;
        }

        if (DateTime.TryParse(due, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dueAt) && dueAt.ToUniversalTime() > now)
        {
            return false;
        }

        return await db.AppSettings.Where(s => s.Key == DueKey && s.Value == due)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, next).SetProperty(x => x.UpdatedAt, now), ct) == 1;
    }
}
