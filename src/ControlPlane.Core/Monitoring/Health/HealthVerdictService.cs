using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Health;

/// <summary>
/// Stores an enrollment's verdict (<see cref="HealthVerdict.Judge"/>) after any check wrote its aspect, keeps the health
/// gauge, tells open pages when it changed (<see cref="NotificationEvent.Health"/>), and raises the verdict's alerts: one when an episode turns to drift or the model outlives its maximum age, none
/// while it stays or wavers between drift and watch; the episode ends when the verdict is healthy again. Decay and SLA
/// misses raise their own alerts where they are found, with their figures (decision 0045).
/// </summary>
public sealed class HealthVerdictService(
    IDbContextFactory<ControlPlaneDbContext> dbs, HealthGauges gauges, AlertService alerts, NotificationEvents events, Causes.RootCauses causes, TimeProvider time)
{
    public async Task<HealthVerdict> UpdateAsync(Guid enrollmentId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Common.Clock.UtcNow(time);
        // One read: the names, the health row, the policy's age limit and the champion's training time.
        var target = await (
                from e in db.Enrollments.AsNoTracking()
                where e.Id == enrollmentId
                join h in db.EnrollmentHealth on e.Id equals h.EnrollmentId into hs
                from h in hs.DefaultIfEmpty()
                join m in db.EnrollmentMonitoring on e.Id equals m.EnrollmentId into ms
                from m in ms.DefaultIfEmpty()
                select new
                {
                    Tenant = e.Tenant!.Slug, UseCase = e.UseCase!.Key, e.UseCaseId, Health = h, HasPolicy = m != null, MaxAge = m != null ? m.MaxModelAgeDays : null,
                    Trained = db.ModelAliases.Where(a => a.EnrollmentId == e.Id && a.Name == AliasNames.Champion)
                        .Select(a => (DateTime?)a.ModelVersion!.CreatedAt).FirstOrDefault(),
                })
            .FirstOrDefaultAsync(ct);
        if (target is null)
        {
            return HealthVerdict.NoData;
        }

        var row = target.Health;
        var maxAge = target.HasPolicy ? target.MaxAge : MonitoringSettings.Defaults.MaxModelAgeDays;
        var trained = target.Trained is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : (DateTime?)null;
        var verdict = HealthVerdict.Judge(row?.Drift, row?.DriftNote, row?.Decay, row?.DecayNote, row?.Sla, row?.SlaNote, maxAge, trained, now);
        if (row is null)
        {
            if (verdict.Verdict == Verdicts.NoData)
            {
                return verdict;
            }

            db.EnrollmentHealth.Add(new EnrollmentHealth { EnrollmentId = enrollmentId, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another check inserted the row first; the update below writes this verdict onto it.
                db.ChangeTracker.Clear();
            }
        }

        var evidence = verdict.EvidenceJson();
        evidence = evidence.Length <= 4000 ? evidence : null;
        var changed = row?.Verdict != verdict.Verdict;
        if (changed || row?.VerdictReason != verdict.Reason || row?.VerdictEvidence != evidence)
        {
            await db.EnrollmentHealth.Where(h => h.EnrollmentId == enrollmentId).ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Verdict, verdict.Verdict).SetProperty(h => h.VerdictReason, verdict.Reason)
                .SetProperty(h => h.VerdictEvidence, evidence)
                .SetProperty(h => h.VerdictSince, h => h.Verdict == verdict.Verdict && h.VerdictSince != null ? h.VerdictSince : now)
                .SetProperty(h => h.VerdictAt, now), ct);
        }

        await AlertAsync(db, enrollmentId, target.Tenant, target.UseCase, target.UseCaseId, row?.DriftFeatures, verdict, row?.AlertedVerdict, ct);
        if (changed)
        {
            await SetGaugesAsync(db, target.UseCase, target.UseCaseId, ct);
            events.Publish(new NotificationEvent(NotificationEvent.Health, enrollmentId)); // pages showing it redraw
        }

        return verdict;
    }

    /// <summary>
    /// The episode's alert (<see cref="AlertKeys.Health"/>): raised by the one call whose conditional UPDATE moves
    /// <see cref="EnrollmentHealth.AlertedVerdict"/> up to this verdict (so two nodes alert once; a worse verdict raises
    /// the same alert again, more severe); resolved when the verdict is healthy or without data again. Not raised when the
    /// enrollment drifts on nothing but inputs its use case's open fleet-wide alerts name (<see cref="Fleet.FleetDrift"/>):
    /// that alert stands for it.
    /// </summary>
    private async Task AlertAsync(ControlPlaneDbContext db, Guid enrollmentId, string tenant, string useCase, Guid useCaseId, string? driftFeatures,
        HealthVerdict verdict, string? alerted, CancellationToken ct)
    {
        if (Verdicts.Rank(verdict.Verdict) <= Verdicts.Rank(Verdicts.Healthy))
        {
            if (alerted is not null)
            {
                await db.EnrollmentHealth.Where(h => h.EnrollmentId == enrollmentId && h.AlertedVerdict != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(h => h.AlertedVerdict, (string?)null), ct);
                await alerts.ResolveAsync([AlertKeys.Health(enrollmentId)], $"The verdict is {Verdicts.Word(verdict.Verdict).ToLowerInvariant()} again: {verdict.Reason}", ct);
            }

            return;
        }

        if (Verdicts.Rank(verdict.Verdict) < Verdicts.Rank(Verdicts.Drift) || Verdicts.Rank(alerted) >= Verdicts.Rank(verdict.Verdict))
        {
            // Not alerting, or this episode already alerted at this level (read before; the conditional update below settles races).
            return;
        }

        var lower = Verdicts.All.Where(v => Verdicts.Rank(v) < Verdicts.Rank(verdict.Verdict)).ToList();
        var moved = await db.EnrollmentHealth
            .Where(h => h.EnrollmentId == enrollmentId && (h.AlertedVerdict == null || lower.Contains(h.AlertedVerdict)))
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.AlertedVerdict, verdict.Verdict), ct);
        var own = verdict.Worst.Where(e => e.Aspect is "drift" or "model-age").ToList();
        if (moved == 0 || own.Count == 0)
        {
            return;
        }

        var drift = own.Any(e => e.Aspect == "drift");
        if (own.All(e => e.Aspect == "drift") && driftFeatures is not null)
        {
            var fleetKeys = driftFeatures.Split(',').Select(f => AlertKeys.FleetDrift(useCaseId, f)).ToList();
            if (await db.Notifications.CountAsync(n => n.OpenKey != null && fleetKeys.Contains(n.OpenKey), ct) == fleetKeys.Count)
            {
                return; // every input it drifts on drifts fleet-wide: the use case's alert names this tenant
            }
        }

        // The alert names the likeliest causes, as the monitoring page's panel ranks them.
        var likely = (await causes.RankAsync(enrollmentId, ct)).Causes.Take(3).ToList();
        var because = likely.Count == 0 ? "" : $" Likely cause: {likely[0].Title}{(likely.Count > 1 ? $" (then: {string.Join("; ", likely.Skip(1).Select(c => c.Title))})" : "")}.";
        await alerts.RaiseAsync(new AlertRequest(drift ? AlertKinds.Drift : AlertKinds.Sla,
            verdict.Verdict == Verdicts.Failing ? AlertSeverity.Critical : AlertSeverity.Warning,
            $"{Verdicts.Word(verdict.Verdict)}: {tenant} / {useCase}",
            string.Join(" · ", own.Select(e => e.Text)) + "." + because,
            EnrollmentId: enrollmentId, Link: Sla.MonitoringLinks.Enrollment(tenant, useCase),
            Data: new
            {
                verdict = verdict.Verdict, reason = verdict.Reason, evidence = verdict.Evidence,
                causes = likely.Select(c => new { c.Kind, c.Title, c.Evidence, c.Link, c.At }),
            },
            Key: AlertKeys.Health(enrollmentId)), ct);
    }

    private async Task SetGaugesAsync(ControlPlaneDbContext db, string useCase, Guid useCaseId, CancellationToken ct)
    {
        var counts = await EnrollmentHealthRows.CountsAsync(db, useCaseId, h => h.Verdict, ct);
        gauges.Set(useCase, counts.GroupBy(c => Verdicts.Of(c.Value)).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)));
    }
}
