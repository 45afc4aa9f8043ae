using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>One day of an SLA's strip: met, missed, or null when the day was not judged.</summary>
public sealed record SlaDay(DateOnly Day, bool? Met, string? Note);

/// <summary>One SLA over a period: judged days met out of judged days, every day of the period, and the misses (newest first).</summary>
public sealed record SlaAdherence(string Kind, int Met, int Judged, IReadOnlyList<SlaDay> Days, IReadOnlyList<SlaDay> Misses)
{
    /// <summary>Met days as a percentage of judged days; null when no day was judged.</summary>
    public double? Percent => Judged == 0 ? null : 100.0 * Met / Judged;
}

/// <summary>Reads stored <see cref="SlaResult"/> rows as adherence per SLA kind.</summary>
public sealed class SlaAdherenceService(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time)
{
    public static IReadOnlyList<string> Kinds { get; } = [SlaKinds.ModelAge, SlaKinds.BatchDeadline, SlaKinds.PredictLatency];

    public const int MaxDays = 366;

    /// <summary>The adherence of a tenant's enrollment in a use case; not found when it is not enrolled, invalid for a period out of range.</summary>
    public async Task<Result<IReadOnlyList<SlaAdherence>>> GetAsync(string tenant, string useCase, int days = 30, CancellationToken ct = default)
    {
        if (days is < 1 or > MaxDays)
        {
            return Result<IReadOnlyList<SlaAdherence>>.Invalid("days", $"days must be between 1 and {MaxDays}; it was {days}.");
        }

        Guid? id;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            id = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        }

        return id is { } enrollmentId
            ? Result<IReadOnlyList<SlaAdherence>>.Ok(await GetAsync(enrollmentId, days, ct))
            : Result<IReadOnlyList<SlaAdherence>>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));
    }

    /// <summary>Each SLA kind over the <paramref name="days"/> days ending today (UTC), oldest day first in the strip.</summary>
    public async Task<IReadOnlyList<SlaAdherence>> GetAsync(Guid enrollmentId, int days = 30, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(Clock.UtcNow(time));
        var first = today.AddDays(1 - days);
        var from = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.SlaResults.AsNoTracking()
            .Where(r => r.EnrollmentId == enrollmentId && r.Day >= from)
            .Select(r => new { r.Kind, r.Day, r.Met, r.Note })
            .ToListAsync(ct);
        return Kinds.Select(kind =>
        {
            var byDay = rows.Where(r => r.Kind == kind).ToDictionary(r => DateOnly.FromDateTime(r.Day));
            var strip = Enumerable.Range(0, days).Select(i => first.AddDays(i))
                .Select(d => byDay.TryGetValue(d, out var r) ? new SlaDay(d, r.Met, r.Note) : new SlaDay(d, null, null)).ToList();
            return Of(kind, strip);
        }).ToList();
    }

    /// <summary>The adherence of one kind's strip of days.</summary>
    public static SlaAdherence Of(string kind, IReadOnlyList<SlaDay> strip) => new(
        kind,
        strip.Count(d => d.Met == true),
        strip.Count(d => d.Met is not null),
        strip,
        strip.Where(d => d.Met == false).OrderByDescending(d => d.Day).ToList());
}
