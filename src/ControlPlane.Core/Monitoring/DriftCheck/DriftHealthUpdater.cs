using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// After a drift check: the drift aspect of the enrollment's <see cref="EnrollmentHealth"/> — drift only after the
/// policy's number of drifting windows in a row (<see cref="MonitoringSettings.DriftPersistence"/>), watch before, or
/// when as many windows in a row warn; the worse of the batch and real-time sources — then the use case's
/// <see cref="DriftGauges"/> and the enrollment's verdict (<see cref="HealthVerdictService"/>, which alerts once per episode).
/// Other checks own the other columns and are never written here.
/// </summary>
public sealed class DriftHealthUpdater(
    IDbContextFactory<ControlPlaneDbContext> dbs, DriftGauges gauges, HealthVerdictService verdicts, Fleet.FleetDrift fleet, TimeProvider time)
{
    /// <summary>The drift aspect's values, best first.</summary>
    public const string Ok = "ok", Watch = "watch", Drifting = "drift", NoData = "no_data";

    public async Task UpdateAsync(DriftTarget target, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var policy = await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == target.EnrollmentId, ct);
        var persistence = MonitoringSettings.From(policy).DriftPersistence;
        var judged = new List<(DriftAspect Aspect, string? Features, DateTime? Since)>();
        foreach (var source in DriftChecks.Sources)
        {
            var newest = await db.DriftWindows.AsNoTracking().Include(w => w.Features)
                .Where(w => w.EnrollmentId == target.EnrollmentId && w.Source == source).OrderByDescending(w => w.Day).Take(persistence).ToListAsync(ct);
            if (newest.Count > 0)
            {
                judged.Add((Aspect(newest, persistence), FeaturesOf(newest[0]), SinceOf(newest)));
            }
        }

        if (judged.Count == 0)
        {
            return;
        }

        var before = await db.EnrollmentHealth.AsNoTracking().Where(h => h.EnrollmentId == target.EnrollmentId)
            .Select(h => new { h.Drift, h.DriftFeatures, h.DriftDay }).FirstOrDefaultAsync(ct);
        var ((status, note, day), features, since) = judged.OrderByDescending(j => Rank(j.Aspect.Status)).ThenByDescending(j => j.Aspect.Day).First();
        await UpsertAsync(db, target.EnrollmentId, status, note, day, features, since, ct);
        await SetGaugesAsync(db, target, ct);
        if (before is null || before.Drift != status || before.DriftFeatures != features || (features is not null && before.DriftDay != day))
        {
            // Only a change of what drifts can start or end a fleet-wide shift: a sweep of steady enrollments reads nothing more.
            await fleet.EvaluateAsync(target.UseCaseId, target.UseCase, ct);
        }

        await verdicts.UpdateAsync(target.EnrollmentId, ct);
    }

    /// <summary>The inputs that drift in a window, worst first, comma-separated within the column's 400 characters; null when none does.</summary>
    public static string? FeaturesOf(DriftWindow window)
    {
        var names = window.Features.Where(f => f.Feature != ModelBaselines.Prediction && f.Status == "drift")
            .OrderByDescending(f => f.Psi ?? 0).ThenBy(f => f.Feature, StringComparer.Ordinal).Select(f => f.Feature).ToList();
        var kept = new List<string>();
        var length = 0;
        foreach (var name in names)
        {
            if (name.Contains(',', StringComparison.Ordinal) || length + name.Length + (kept.Count > 0 ? 1 : 0) > 400)
            {
                continue;
            }

            length += name.Length + (kept.Count > 0 ? 1 : 0);
            kept.Add(name);
        }

        return kept.Count == 0 ? null : string.Join(',', kept);
    }

    /// <summary>The day the current run of changed (warning or drift) windows began, among the newest windows the aspect reads; null when the newest is fine.</summary>
    private static DateTime? SinceOf(IReadOnlyList<DriftWindow> newest)
    {
        var flagged = newest.TakeWhile(w => w.Status is "drift" or "warning").ToList();
        return flagged.Count == 0 ? null : flagged[^1].WindowStart;
    }

    /// <summary>
    /// One source's drift aspect from its newest windows (newest first, at most <paramref name="persistence"/>): drift
    /// when as many as the policy asks are all changed (warning or drift) and at least one of them drifts — a change that
    /// lasts and was clearly large at least once; watch when only the newest drifts, or they all warn; no data when the
    /// newest judged nothing; ok otherwise. A lone flagged window among healthy ones never leaves watch.
    /// </summary>
    public static DriftAspect Aspect(IReadOnlyList<DriftWindow> newest, int persistence)
    {
        var latest = newest[0];
        var note = NoteOf(latest);
        var source = latest.Source;
        if (latest.Status is "skipped" or "no_data")
        {
            return new(NoData, note, latest.Day);
        }

        var flagged = newest.TakeWhile(w => w.Status is "drift" or "warning").ToList();
        var drifting = flagged.Count(w => w.Status == "drift");
        string In(int count) => count == 1
            ? $"the {source} window of {latest.Day:yyyy-MM-dd}"
            : string.Create(CultureInfo.InvariantCulture, $"{count} {source} windows in a row to {latest.Day:yyyy-MM-dd}");
        if (flagged.Count >= persistence && drifting > 0)
        {
            return new(Drifting, persistence == 1 ? $"{note} — drift in {In(1)}" : $"{note} — changed in {In(flagged.Count)}, drifting in {drifting.ToString(CultureInfo.InvariantCulture)}", latest.Day);
        }

        if (latest.Status == "drift")
        {
            return new(Watch, $"{note} — drift in {In(1)}; the verdict is drift after {persistence.ToString(CultureInfo.InvariantCulture)} changed windows in a row", latest.Day);
        }

        return flagged.Count >= persistence
            ? new(Watch, $"{note} — warnings in {In(flagged.Count)}", latest.Day)
            : new(Ok, null, latest.Day);
    }

    /// <summary>The top feature and its figure ("pages_viewed PSI 0.41"), or why nothing could be judged.</summary>
    public static string? NoteOf(DriftWindow window)
    {
        var inputs = window.Features.Where(f => f.Feature != ModelBaselines.Prediction).ToList();
        var prediction = window.Features.FirstOrDefault(f => f.Feature == ModelBaselines.Prediction);
        var top = inputs.OrderBy(f => FeatureRank(f.Status)).ThenByDescending(f => f.Psi ?? double.MinValue).FirstOrDefault();
        if (prediction is { Status: "drift" or "warning", Psi: { } p } && (top is null || FeatureRank(top.Status) > FeatureRank(prediction.Status)))
        {
            var inputsChanged = top?.Status is "drift" or "warning";
            return $"predictions PSI {p.ToString("0.00", CultureInfo.InvariantCulture)}"
                + (inputsChanged ? "" : " while no input changed: the model's output moves on its own (it reads the time, or the served fit differs from the tested one)");
        }

        if (top is null)
        {
            return null;
        }

        return top.Status is "skipped" or "no_data" || top.Psi is null
            ? $"{top.Feature}: {top.Reason ?? top.Status}"
            : $"{top.Feature} PSI {top.Psi.Value.ToString("0.00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Writes only the drift columns (the decay and SLA checks write the others of the same row).</summary>
    private Task UpsertAsync(ControlPlaneDbContext db, Guid enrollmentId, string status, string? note, DateTime day, string? features, DateTime? since, CancellationToken ct)
    {
        note = note is { Length: > 300 } ? note[..299] + "…" : note;
        var now = Common.Clock.UtcNow(time);
        return EnrollmentHealthRows.UpsertAsync(db, enrollmentId,
            s => s.SetProperty(h => h.Drift, status).SetProperty(h => h.DriftNote, note).SetProperty(h => h.DriftDay, day)
                .SetProperty(h => h.DriftFeatures, features).SetProperty(h => h.DriftSince, since).SetProperty(h => h.UpdatedAt, now),
            () => new EnrollmentHealth
            {
                EnrollmentId = enrollmentId, Drift = status, DriftNote = note, DriftDay = day, DriftFeatures = features, DriftSince = since, UpdatedAt = now,
            }, ct);
    }

    private async Task SetGaugesAsync(ControlPlaneDbContext db, DriftTarget target, CancellationToken ct)
    {
        var counts = await EnrollmentHealthRows.CountsAsync(db, target.UseCaseId, h => h.Drift, ct);
        gauges.Set(target.UseCase, counts.GroupBy(c => HealthStatus(c.Value)).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)));
    }

    /// <summary>The gauge status of a stored drift aspect: older rows' warning counts as watch.</summary>
    public static string HealthStatus(string status) => status switch
    {
        Ok or Drifting => status,
        Watch or "warning" => Watch,
        _ => NoData,
    };

    private static int Rank(string status) => status switch
    {
        Drifting => 3,
        Watch => 2,
        Ok => 1,
        _ => 0,
    };

    private static int FeatureRank(string status) => DriftFeatureRow.Rank(DriftStatusText.Parse(status));
}

/// <summary>One source's drift aspect: its status (<see cref="DriftHealthUpdater.Ok"/>, ...), why, and the newest window's day.</summary>
public sealed record DriftAspect(string Status, string? Note, DateTime Day);
