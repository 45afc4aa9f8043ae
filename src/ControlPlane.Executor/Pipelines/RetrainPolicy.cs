using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Executor.Pipelines;

public enum RetrainDecision
{
    /// <summary>A retrain run was started.</summary>
    Started,

    /// <summary>No signal the policy acts on (no drift or decay, or the policy does not retrain on it).</summary>
    NoSignal,

    /// <summary>A signal, but inside the cool-down since the last auto-retrain (perhaps started by another node just now).</summary>
    CoolingDown,

    /// <summary>The run could not be started; the cool-down claim was given back.</summary>
    Failed,
}

/// <summary>What <see cref="RetrainPolicy.ApplyAsync"/> did and why, in words a run log or the UI can show.</summary>
public sealed record RetrainPolicyResult(RetrainDecision Decision, string Message, Guid? RunId = null, DateTime? CoolDownUntil = null);

/// <summary>
/// The auto-retrain policy: when an enrollment's health shows drift (with <see cref="MonitoringSettings.RetrainOnDrift"/>)
/// or decay (with <see cref="MonitoringSettings.RetrainOnDecay"/>) and the cool-down since the last auto-retrain has
/// passed, starts one retrain run and raises an <see cref="AlertKinds.Retrain"/> alert. The cool-down is claimed by one
/// conditional UPDATE of <see cref="EnrollmentMonitoring.LastAutoRetrainAt"/>, so two nodes applying the policy at once
/// never both start a run. It lives in the executor because starting a run does.
/// </summary>
public sealed class RetrainPolicy(IDbContextFactory<ControlPlaneDbContext> dbs, RetrainStarter starter, AlertService alerts, TimeProvider time)
{
    public const string Trigger = "auto-retrain";

    public async Task<RetrainPolicyResult> ApplyAsync(Guid enrollmentId, CancellationToken ct = default)
    {
        var now = Clock.UtcNow(time);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct);
        var health = await db.EnrollmentHealth.AsNoTracking().FirstOrDefaultAsync(h => h.EnrollmentId == enrollmentId, ct);
        var settings = MonitoringSettings.From(row);
        var signal = Signal(settings, health);
        if (row is null || signal is null)
        {
            return new RetrainPolicyResult(RetrainDecision.NoSignal, "No drift or decay the policy retrains on.");
        }

        var cutoff = now.AddHours(-settings.RetrainCooldownHours);
        var claimed = await db.EnrollmentMonitoring
            .Where(m => m.EnrollmentId == enrollmentId && (m.LastAutoRetrainAt == null || m.LastAutoRetrainAt <= cutoff))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastAutoRetrainAt, now), ct);
        if (claimed == 0)
        {
            var last = await db.EnrollmentMonitoring.Where(m => m.EnrollmentId == enrollmentId).Select(m => m.LastAutoRetrainAt).FirstOrDefaultAsync(ct);
            var until = last is { } l ? DateTime.SpecifyKind(l, DateTimeKind.Utc).AddHours(settings.RetrainCooldownHours) : now;
            return new RetrainPolicyResult(RetrainDecision.CoolingDown,
                $"{signal}, but the last auto-retrain was less than {settings.RetrainCooldownHours} h ago: nothing started before {until:yyyy-MM-dd HH:mm} UTC.",
                CoolDownUntil: until);
        }

        var names = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Select(e => new { e.Tenant!.Slug, e.UseCase!.Key }).FirstAsync(ct);
        var reason = TextLimits.Clip($"{Trigger}: {signal}", 256);
        var run = await starter.StartAsync(names.Slug, names.Key, Trigger, reason, ct);
        if (!run.IsOk)
        {
            // Give the claim back so the next check may try again.
            await db.EnrollmentMonitoring.Where(m => m.EnrollmentId == enrollmentId && m.LastAutoRetrainAt == now)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastAutoRetrainAt, row.LastAutoRetrainAt), ct);
            return new RetrainPolicyResult(RetrainDecision.Failed, $"{signal}, but the retrain could not be started: {run.Message}");
        }

        await alerts.RaiseAsync(new AlertRequest(AlertKinds.Retrain, AlertSeverity.Info,
            $"Auto-retrain started: {names.Slug} / {names.Key}", reason,
            EnrollmentId: enrollmentId, Link: $"/runs/{run.Value!.Id}", Data: new { runId = run.Value.Id, reason }), ct);
        return new RetrainPolicyResult(RetrainDecision.Started, reason, run.Value.Id, now.AddHours(settings.RetrainCooldownHours));
    }

    /// <summary>"drift — note" or "decay — note" when the health shows a signal the policy acts on; drift first.</summary>
    public static string? Signal(MonitoringSettings settings, EnrollmentHealth? health) =>
        health is null ? null
        : settings.RetrainOnDrift && health.Drift == "drift" ? $"drift — {health.DriftNote ?? "input drift"}"
        : settings.RetrainOnDecay && health.Decay == "decay" ? $"decay — {health.DecayNote ?? "performance decay"}"
        : null;
}
