using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Monitoring.Sla;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Monitoring.Fleet;

/// <summary>A tenant whose newest drift window has inputs drifting (<see cref="EnrollmentHealth.DriftFeatures"/>).</summary>
public sealed record DriftingTenant(Guid EnrollmentId, string Tenant, IReadOnlyList<string> Features, DateTime Day, DateTime? Since);

/// <summary>Many tenants of a use case drifting on one input at once: what one use-case alert stands for.</summary>
public sealed record FleetShift(string Feature, IReadOnlyList<DriftingTenant> Tenants, int Judged, DateTime Since);

/// <summary>
/// Fleet-level drift alerts (issue 17 point 4, decision 0046). When at least
/// <see cref="MonitoringOptions.FleetMinTenants"/> tenants of a use case, and at least
/// <see cref="MonitoringOptions.FleetShare"/> of those whose drift was judged, drift on the same input in their newest
/// windows (within <see cref="SameWindow"/> of each other), that is most likely a change upstream — a source, an export,
/// a shared rule — not each tenant's own: one use-case alert says so and lists them, the tenants' own drift alerts fold
/// under it (and those drifting on nothing else raise none), and it resolves itself when the shift no longer holds.
/// Evaluated after a drift check changed what an enrollment drifts on, so a steady sweep costs nothing here.
/// </summary>
public sealed class FleetDrift(IDbContextFactory<ControlPlaneDbContext> dbs, AlertService alerts, IOptions<ControlPlaneOptions> options)
{
    /// <summary>Windows this far apart are the same window for a fleet (daily windows of tenants checked on different hours or days).</summary>
    public static readonly TimeSpan SameWindow = TimeSpan.FromDays(3);

    private static readonly string[] JudgedStatuses = [DriftHealthUpdater.Ok, DriftHealthUpdater.Watch, DriftHealthUpdater.Drifting, "warning"];

    public async Task<IReadOnlyList<FleetShift>> EvaluateAsync(Guid useCaseId, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var judged = await (
                from h in db.EnrollmentHealth
                join e in db.Enrollments on h.EnrollmentId equals e.Id
                where e.UseCaseId == useCaseId && h.Drift != null && JudgedStatuses.Contains(h.Drift)
                select h.EnrollmentId)
            .CountAsync(ct);
        var rows = await (
                from h in db.EnrollmentHealth.AsNoTracking()
                join e in db.Enrollments on h.EnrollmentId equals e.Id
                where e.UseCaseId == useCaseId && h.DriftFeatures != null && h.DriftDay != null
                select new { h.EnrollmentId, e.Tenant!.Slug, h.DriftFeatures, h.DriftDay, h.DriftSince })
            .ToListAsync(ct);
        var drifting = rows.Select(r => new DriftingTenant(r.EnrollmentId, r.Slug, r.DriftFeatures!.Split(','), r.DriftDay!.Value, r.DriftSince)).ToList();
        var monitoring = options.Value.Monitoring;
        var shifts = Shifts(drifting, judged, monitoring.FleetMinTenants, monitoring.FleetShare);

        var prefix = AlertKeys.FleetDriftPrefix(useCaseId);
        var open = await db.Notifications.AsNoTracking().Where(n => n.OpenKey != null && n.OpenKey.StartsWith(prefix))
            .Select(n => new { n.OpenKey, n.Message }).ToListAsync(ct);
        var openMessages = open.ToDictionary(n => n.OpenKey!, n => n.Message, StringComparer.Ordinal);
        var shifted = shifts.Select(s => s.Feature).ToHashSet(StringComparer.Ordinal);
        foreach (var shift in shifts)
        {
            var key = AlertKeys.FleetDrift(useCaseId, shift.Feature);
            var message = Message(shift);
            if (openMessages.GetValueOrDefault(key) != message)
            {
                var alert = await alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning,
                    Title(useCase, shift), message, Link: MonitoringLinks.UseCase(useCase),
                    Data: new
                    {
                        scope = "use-case", useCase, feature = shift.Feature, drifting = shift.Tenants.Count, judged = shift.Judged,
                        since = shift.Since, tenants = shift.Tenants.Select(t => t.Tenant).Order(StringComparer.Ordinal).ToList(),
                    },
                    Key: key, UseCase: useCase), ct);
                // The tenants drifting on nothing but fleet-wide inputs: their own alerts are this one.
                var members = shift.Tenants.Where(t => t.Features.All(shifted.Contains)).Select(t => AlertKeys.Health(t.EnrollmentId)).ToList();
                await alerts.GroupAsync(alert.Id, members, ct);
            }
        }

        foreach (var key in openMessages.Keys.Where(k => !shifted.Contains(k[prefix.Length..])))
        {
            var feature = key[prefix.Length..];
            var now = drifting.Count(t => t.Features.Contains(feature, StringComparer.Ordinal));
            await alerts.ResolveAsync([key], string.Create(CultureInfo.InvariantCulture,
                $"{now} of {judged} tenants drift on {feature} now (a fleet-wide shift is {monitoring.FleetMinTenants} tenants and {monitoring.FleetShare:P0} at least)."), ct);
        }

        return shifts;
    }

    /// <summary>
    /// The inputs enough tenants drift on at once, most tenants first: of the tenants whose newest window drifts, those
    /// within <see cref="SameWindow"/> of the newest such window count; an input is a fleet-wide shift when at least
    /// <paramref name="minTenants"/> of them, and at least <paramref name="share"/> of the <paramref name="judged"/>
    /// tenants, drift on it.
    /// </summary>
    public static IReadOnlyList<FleetShift> Shifts(IReadOnlyList<DriftingTenant> drifting, int judged, int minTenants, double share)
    {
        if (drifting.Count == 0)
        {
            return [];
        }

        var newest = drifting.Max(t => t.Day);
        var current = drifting.Where(t => t.Day >= newest - SameWindow).ToList();
        var needed = Math.Max(minTenants, (int)Math.Ceiling(share * Math.Max(judged, current.Count) - 1e-9));
        return current
            .SelectMany(t => t.Features.Distinct(StringComparer.Ordinal).Select(f => (Feature: f, Tenant: t)))
            .GroupBy(x => x.Feature, StringComparer.Ordinal)
            .Where(g => g.Count() >= needed)
            .Select(g => new FleetShift(g.Key, g.Select(x => x.Tenant).ToList(), Math.Max(judged, current.Count),
                g.Min(x => x.Tenant.Since ?? x.Tenant.Day)))
            .OrderByDescending(s => s.Tenants.Count).ThenBy(s => s.Feature, StringComparer.Ordinal)
            .ToList();
    }

    public static string Title(string useCase, FleetShift shift) => string.Create(CultureInfo.InvariantCulture,
        $"Fleet drift: {shift.Tenants.Count} of {shift.Judged} tenants of {useCase} drift on {shift.Feature}");

    /// <summary>"31 of 200 tenants drift on plan since Tuesday 2026-11-03 — likely an upstream change ..." with the first tenants named.</summary>
    public static string Message(FleetShift shift)
    {
        var names = shift.Tenants.Select(t => t.Tenant).Order(StringComparer.Ordinal).ToList();
        var listed = string.Join(", ", names.Take(12)) + (names.Count > 12 ? string.Create(CultureInfo.InvariantCulture, $" and {names.Count - 12} more") : "");
        return string.Create(CultureInfo.InvariantCulture,
            $"{shift.Tenants.Count} of {shift.Judged} tenants drift on {shift.Feature} since {shift.Since:dddd yyyy-MM-dd} — likely an upstream change "
            + $"(a source, an export or a shared rule) rather than each tenant's own. Their drift alerts are folded into this one. Tenants: {listed}.");
    }
}
