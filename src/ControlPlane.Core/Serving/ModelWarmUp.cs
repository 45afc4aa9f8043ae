using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Warm-up of the model cache: every five minutes and at shutdown, the versions the cache used most recently are saved
/// (per machine, in <c>AppSettings</c>); when the node starts, they are loaded again in the background, most recent
/// first, so the first requests after a restart find their models loaded. Versions that no longer exist are skipped.
/// </summary>
public sealed class ModelWarmUp(
    ModelCache cache, IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, TimeProvider time,
    ILogger<ModelWarmUp> logger) : BackgroundService
{
    private readonly SemaphoreSlim _saving = new(1, 1);

    public static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(5);

    /// <summary>The setting holding this machine's list.</summary>
    public static string SettingKey { get; } = Truncated($"serving.warm.{Environment.MachineName.ToLowerInvariant()}", 100);

    private static string Truncated(string text, int length) => text.Length <= length ? text : text[..length];

    private int Count => options.Value.Serving.WarmUpModels;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Count == 0)
        {
            return;
        }

        await Task.Yield(); // never hold up the host's start
        try
        {
            var warmed = await WarmAsync(stoppingToken);
            if (warmed > 0)
            {
                logger.LogInformation("Warmed the model cache with {Count} model version(s)", warmed);
            }

            using var timer = new PeriodicTimer(SaveInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SaveAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Model cache warm-up stopped");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Count > 0)
        {
            try
            {
                await SaveAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not save the model cache's warm-up list");
            }
        }
    }

    /// <summary>Loads the saved versions that are not loaded yet; returns how many were loaded.</summary>
    public async Task<int> WarmAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var saved = await db.AppSettings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        var loaded = 0;
        foreach (var text in (saved ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Take(Count))
        {
            if (!Guid.TryParseExact(text, "N", out var id) || cache.Holds(id))
            {
                continue;
            }

            try
            {
                (await cache.RentAsync(id, ct)).Dispose();
                loaded++;
            }
            catch (ModelUnavailableException)
            {
                // deleted since (an offboarded tenant): nothing to warm
            }
        }

        return loaded;
    }

    /// <summary>Saves the most recently used versions; an empty cache (a node that serves nothing) keeps the last list.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        var ids = cache.MostRecent(Count);
        if (ids.Count == 0)
        {
            return;
        }

        var value = string.Join(',', ids.Select(id => id.ToString("N")));
        // The periodic save and the one at shutdown may meet, and another process on this machine may save the same key:
        // saves take turns here, and an insert that loses a race with another writer becomes an update.
        await _saving.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                var row = await db.AppSettings.FirstOrDefaultAsync(s => s.Key == SettingKey, ct);
                if (row is null)
                {
                    db.AppSettings.Add(new AppSetting { Key = SettingKey, Value = value, UpdatedAt = Clock.UtcNow(time) });
                }
                else
                {
                    row.Value = value;
                    row.UpdatedAt = Clock.UtcNow(time);
                }

                try
                {
                    await db.SaveChangesAsync(ct);
                    return;
                }
                catch (DbUpdateException) when (row is null && attempt == 1)
                {
                    // inserted by someone else meanwhile: read it again and update it
                }
            }
        }
        finally
        {
            _saving.Release();
        }
    }
}
