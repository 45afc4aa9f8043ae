using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>What one check of one enrollment and day judged; SLAs that could not be judged are absent.</summary>
public sealed record SlaCheck(Guid EnrollmentId, DateOnly Day, IReadOnlyList<SlaVerdict> Verdicts)
{
    public bool AllMet => Verdicts.All(v => v.Met);
}

/// <summary>
/// Judges an enrollment's SLAs for a day (model age, batch deadline, predict p99; see <see cref="SlaJudge"/>), stores one
/// <see cref="SlaResult"/> per judged kind (a new check of the day replaces the old; a kind no longer judged is removed),
/// keeps <see cref="EnrollmentHealth.Sla"/> current and raises an <see cref="AlertKinds.Sla"/> alert the first time a
/// kind is missed on a day.
/// </summary>
public sealed class SlaChecks(IDbContextFactory<ControlPlaneDbContext> dbs, AlertService alerts, Health.HealthVerdictService healthVerdicts, TimeProvider time)
{
    public async Task<SlaCheck> CheckAsync(Guid enrollmentId, DateOnly day, CancellationToken ct = default)
    {
        var now = Clock.UtcNow(time);
        var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var dayEnd = dayStart.AddDays(1);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking()
            .FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct));

        var asOf = now < dayEnd ? now : dayEnd;

        // The champion live at the end of the day (or now, for today) from the alias history: a past day is judged by the
        // version that served it, and a day before any champion is not judged.
        var championCreated = await db.AliasChanges.AsNoTracking()
            .Where(c => c.EnrollmentId == enrollmentId && c.Alias == AliasNames.Champion && c.At <= asOf)
            .OrderByDescending(c => c.Sequence)
            .Select(c => (DateTime?)c.ToVersion!.CreatedAt).FirstOrDefaultAsync(ct);
        var firstBatch = await db.PredictionPartitions.AsNoTracking()
            .Where(p => p.EnrollmentId == enrollmentId && p.Kind == PredictionKinds.Batch
                && p.CompletedAt >= dayStart && p.CompletedAt < dayEnd
                && (p.State == PartitionStates.Done || p.State == PartitionStates.Replaced))
            .MinAsync(p => p.CompletedAt, ct);
        var buckets = await db.PredictLatencyDays.AsNoTracking()
            .Where(l => l.EnrollmentId == enrollmentId && l.Day == dayStart).Select(l => l.Buckets).ToListAsync(ct);
        var merged = new long[LatencyBuckets.Count];
        buckets.ForEach(b => LatencyBuckets.Add(merged, b));

        SlaVerdict?[] judged =
        [
            SlaJudge.ModelAge(settings.MaxModelAgeDays, championCreated is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Utc) : null, asOf),
            SlaJudge.BatchDeadline(settings.BatchDeadlineMinutes, dayStart, firstBatch is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null, now),
            SlaJudge.PredictP99(settings.PredictP99BudgetMs, merged),
        ];
        var verdicts = judged.OfType<SlaVerdict>().ToList();

        var newMisses = await StoreAsync(db, enrollmentId, dayStart, verdicts, now, ct);
        await SlaHealth.UpsertAsync(db, enrollmentId, verdicts, now, ct);
        await healthVerdicts.UpdateAsync(enrollmentId, ct);
        await alerts.ResolveAsync(verdicts.Where(v => v.Met).Select(v => AlertKeys.Sla(enrollmentId, v.Kind)).ToList(),
            $"Met again on {day:yyyy-MM-dd}.", ct);
        foreach (var miss in newMisses)
        {
            await RaiseAsync(db, enrollmentId, day, miss, ct);
        }

        return new SlaCheck(enrollmentId, day, verdicts);
    }

    /// <summary>
    /// Replaces the day's results; returns the misses this check is the first to store. That is decided by the write
    /// itself, so two nodes checking the same enrollment and day at once alert once: a new result is an insert that the
    /// unique (enrollment, kind, day) index lets only one node make, and a met result turns missed by a conditional
    /// UPDATE on "still met" that only one node's statement matches.
    /// </summary>
    private static async Task<List<SlaVerdict>> StoreAsync(
        ControlPlaneDbContext db, Guid enrollmentId, DateTime dayStart, List<SlaVerdict> verdicts, DateTime now, CancellationToken ct)
    {
        var stored = await db.SlaResults.AsNoTracking().Where(r => r.EnrollmentId == enrollmentId && r.Day == dayStart).ToListAsync(ct);
        var newMisses = new List<SlaVerdict>();
        foreach (var verdict in verdicts)
        {
            var row = stored.FirstOrDefault(r => r.Kind == verdict.Kind);
            if (row is null && await TryInsertAsync(db, enrollmentId, dayStart, verdict, now, ct))
            {
                if (!verdict.Met)
                {
                    newMisses.Add(verdict);
                }

                continue;
            }

            // Stored before, by an earlier check or by another node a moment ago.
            var existing = db.SlaResults.Where(r => r.EnrollmentId == enrollmentId && r.Kind == verdict.Kind && r.Day == dayStart);
            var turnsMissed = !verdict.Met && (row is null || row.Met);
            var updated = await (turnsMissed ? existing.Where(r => r.Met) : existing).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Met, verdict.Met).SetProperty(r => r.Measured, verdict.Measured).SetProperty(r => r.Limit, verdict.Limit)
                .SetProperty(r => r.Note, verdict.Note).SetProperty(r => r.CheckedAt, now), ct);
            if (turnsMissed && updated == 1)
            {
                newMisses.Add(verdict);
            }
        }

        var judged = verdicts.Select(v => v.Kind).ToList();
        await db.SlaResults.Where(r => r.EnrollmentId == enrollmentId && r.Day == dayStart && !judged.Contains(r.Kind)).ExecuteDeleteAsync(ct);
        return newMisses;
    }

    /// <summary>False when another check stored this kind and day first (the unique index refused the insert).</summary>
    private static async Task<bool> TryInsertAsync(
        ControlPlaneDbContext db, Guid enrollmentId, DateTime dayStart, SlaVerdict verdict, DateTime now, CancellationToken ct)
    {
        var row = new SlaResult
        {
            EnrollmentId = enrollmentId, Kind = verdict.Kind, Day = dayStart, Met = verdict.Met, Measured = verdict.Measured,
            Limit = verdict.Limit, Note = verdict.Note, CheckedAt = now,
        };
        db.SlaResults.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(row).State = EntityState.Detached;
            if (await db.SlaResults.AnyAsync(r => r.EnrollmentId == enrollmentId && r.Kind == verdict.Kind && r.Day == dayStart, ct))
            {
                return false;
            }

            throw;
        }
    }

    private async Task RaiseAsync(ControlPlaneDbContext db, Guid enrollmentId, DateOnly day, SlaVerdict miss, CancellationToken ct)
    {
        var names = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Select(e => new { e.Tenant!.Slug, e.UseCase!.Key }).FirstAsync(ct);
        await alerts.RaiseAsync(new AlertRequest(AlertKinds.Sla, AlertSeverity.Warning,
            $"SLA missed: {names.Slug} / {names.Key} ({miss.Kind})",
            $"{miss.Note} on {day:yyyy-MM-dd}.",
            EnrollmentId: enrollmentId,
            Link: MonitoringLinks.Enrollment(names.Slug, names.Key),
            Data: new { kind = miss.Kind, day = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), measured = miss.Measured, limit = miss.Limit },
            Key: AlertKeys.Sla(enrollmentId, miss.Kind)), ct);
    }
}
