using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>
/// Writes the SLA columns of <see cref="EnrollmentHealth"/> only: the drift and decay checks own the others and may
/// write the same row at the same time, so this is a column-wise update, or an insert when the row does not exist yet.
/// </summary>
internal static class SlaHealth
{
    public static async Task UpsertAsync(ControlPlaneDbContext db, Guid enrollmentId, IReadOnlyList<SlaVerdict> verdicts, DateTime now, CancellationToken ct)
    {
        if (verdicts.Count == 0)
        {
            return;
        }

        var misses = verdicts.Where(v => !v.Met).Select(v => v.Note).ToList();
        var status = misses.Count > 0 ? "missed" : "ok";
        var note = TextLimits.Clip(misses.Count > 0 ? string.Join("; ", misses) : string.Join("; ", verdicts.Select(v => v.Note)), 300);
        await EnrollmentHealthRows.UpsertAsync(db, enrollmentId,
            s => s.SetProperty(h => h.Sla, status).SetProperty(h => h.SlaNote, note).SetProperty(h => h.UpdatedAt, now),
            () => new EnrollmentHealth { EnrollmentId = enrollmentId, Sla = status, SlaNote = note, UpdatedAt = now }, ct);
    }
}
