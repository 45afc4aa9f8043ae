using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Fleet;

/// <summary>Whether a tenant's own model earns its cost over the pooled one.</summary>
public static class OwnModelWorth
{
    /// <summary>Own is better than pooled beyond noise.</summary>
    public const string Yes = "yes";

    /// <summary>Pooled is as good (within noise) or better: the own model costs without adding value.</summary>
    public const string No = "no";

    /// <summary>Not measured: no pooled model in the region, too few rows, or no own version.</summary>
    public const string Unknown = "unknown";
}

/// <summary>
/// One tenant of a use case: what its own model costs (training CPU, artifacts, predictions kept, requests served) and
/// what it is worth (its lift over the pooled model on its own test rows, with the interval).
/// </summary>
public sealed record TenantCostValue(
    string Tenant, string TenantName, string Region, string? Serving, int OwnVersions, double? TrainingCpuSeconds, int VersionsWithoutCpu,
    long ArtifactBytes, long BatchRowsStored, long LoggedRows, long RequestsServed30Days,
    string? Metric, bool? HigherIsBetter, double? Own, double? Pooled, double? Lift, double? LiftLow, double? LiftHigh, string Worth, string WorthReason);

public sealed record UseCaseCostValue(string UseCase, string Name, IReadOnlyList<TenantCostValue> Tenants);

/// <summary>
/// Cost and value per tenant of a use case (issue 17 point 7, decision 0049), read in a handful of grouped queries: the
/// own versions' training CPU and artifact bytes, the batch predictions kept and the logged real-time ones, the
/// requests served over 30 days (the latency recorder's daily counts), and from the newest own version that was compared
/// with a pooled model its lift over it on the tenant's own test rows — the paired bootstrap difference and its 95 %
/// interval (own minus pooled, in the metric's direction: positive is better for own).
/// </summary>
public sealed class CostValue(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time)
{
    public async Task<UseCaseCostValue?> GetAsync(string useCase, IReadOnlyList<string>? onlyTenants, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.UseCases.AsNoTracking().Where(u => u.Key == useCase).Select(u => new { u.Id, u.Key, u.Name }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.UseCaseId == found.Id)
            .Select(e => new { e.Id, e.Tenant!.Slug, TenantName = e.Tenant.Name, e.Tenant.Region }).ToListAsync(ct);
        if (onlyTenants is not null)
        {
            enrollments = enrollments.Where(e => onlyTenants.Contains(e.Slug, StringComparer.Ordinal)).ToList();
        }

        var ids = enrollments.Select(e => e.Id).ToList();
        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.EnrollmentId != null && ids.Contains(v.EnrollmentId.Value) && v.Kind == ModelVersionKinds.Own)
            .Select(v => new { v.Id, EnrollmentId = v.EnrollmentId!.Value, v.Number, v.TrainingCpuSeconds, v.ArtifactSize, v.PooledVersionId, v.ServingReason })
            .ToListAsync(ct);
        var champions = await db.ModelAliases.AsNoTracking().Where(a => ids.Contains(a.EnrollmentId) && a.Name == AliasNames.Champion)
            .Select(a => new { a.EnrollmentId, a.ModelVersion!.Kind, a.ModelVersion.Number }).ToListAsync(ct);
        var batch = await db.PredictionPartitions.AsNoTracking().Where(p => ids.Contains(p.EnrollmentId) && p.State == PartitionStates.Done)
            .GroupBy(p => p.EnrollmentId).Select(g => new { g.Key, Rows = g.Sum(p => (long)p.RowCount) }).ToDictionaryAsync(g => g.Key, g => g.Rows, ct);
        var logged = await db.PredictionLog.AsNoTracking().Where(e => ids.Contains(e.EnrollmentId))
            .GroupBy(e => e.EnrollmentId).Select(g => new { g.Key, Rows = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Rows, ct);
        var since = Clock.UtcNow(time).Date.AddDays(-29);
        var served = await db.PredictLatencyDays.AsNoTracking().Where(l => ids.Contains(l.EnrollmentId) && l.Day >= since)
            .GroupBy(l => l.EnrollmentId).Select(g => new { g.Key, Count = g.Sum(l => l.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        // The newest own version compared with a pooled model, and its report's comparison (one report per tenant).
        var compared = versions.Where(v => v.PooledVersionId is not null).GroupBy(v => v.EnrollmentId).Select(g => g.MaxBy(v => v.Number)!)
            .ToDictionary(v => v.EnrollmentId);
        var reports = new Dictionary<Guid, (ModelReport Report, Guid Pooled)>();
        foreach (var chunk in compared.Values.Select(v => v.Id).Chunk(200))
        {
            var versionIds = chunk.ToList();
            foreach (var row in await db.ModelVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
                         .Select(v => new { EnrollmentId = v.EnrollmentId!.Value, v.ReportJson, Pooled = v.PooledVersionId!.Value }).ToListAsync(ct))
            {
                reports[row.EnrollmentId] = (ModelReportJson.Read(row.ReportJson), row.Pooled);
            }
        }

        var byEnrollment = versions.ToLookup(v => v.EnrollmentId);
        var championOf = champions.ToDictionary(c => c.EnrollmentId);
        var tenants = enrollments.Select(e =>
        {
            var own = byEnrollment[e.Id].ToList();
            var cpu = own.Where(v => v.TrainingCpuSeconds is not null).ToList();
            var serving = championOf.TryGetValue(e.Id, out var c) ? $"{(c.Kind == ModelVersionKinds.Pooled ? "pooled" : "own")} v{c.Number}" : null;
            var (metric, higher, ownValue, pooledValue, lift, low, high, worth, reason) = Judge(own.Count, reports.TryGetValue(e.Id, out var r) ? r : null,
                compared.TryGetValue(e.Id, out var v) ? v.ServingReason : null);
            return new TenantCostValue(e.Slug, e.TenantName, e.Region, serving, own.Count, cpu.Count == 0 ? null : cpu.Sum(x => x.TrainingCpuSeconds!.Value),
                own.Count - cpu.Count, own.Sum(x => x.ArtifactSize), batch.GetValueOrDefault(e.Id), logged.GetValueOrDefault(e.Id), served.GetValueOrDefault(e.Id),
                metric, higher, ownValue, pooledValue, lift, low, high, worth, reason);
        }).OrderBy(t => t.Worth == OwnModelWorth.No ? 0 : t.Worth == OwnModelWorth.Unknown ? 2 : 1).ThenByDescending(t => t.TrainingCpuSeconds ?? 0).ToList();
        return new UseCaseCostValue(found.Key, found.Name, tenants);
    }

    /// <summary>The lift of own over pooled (positive: own better) with its interval, and what it says about the own model.</summary>
    private static (string?, bool?, double?, double?, double?, double?, double?, string, string) Judge(int ownVersions, (ModelReport Report, Guid Pooled)? compared, string? servingReason)
    {
        if (ownVersions == 0)
        {
            return (null, null, null, null, null, null, null, OwnModelWorth.Unknown, "No own version trained yet.");
        }

        if (compared is not { } c)
        {
            return (null, null, null, null, null, null, null, OwnModelWorth.Unknown, "No pooled model was there to compare with (a pool needs tenants with data in the region).");
        }

        var comparison = c.Report.Comparisons.FirstOrDefault(x => x.A == ModelComparison.Own && x.B == c.Pooled.ToString());
        if (comparison is null || comparison.Difference.Verdict == ComparisonVerdict.Unmeasured)
        {
            return (comparison?.Difference.Metric, null, comparison?.Difference.A, comparison?.Difference.B, null, null, null, OwnModelWorth.Unknown,
                comparison?.Note ?? servingReason ?? "Too few test rows to measure the difference.");
        }

        var d = comparison.Difference;
        var higher = RowMetrics.HigherIsBetter(d.Metric);
        double Gain(double difference) => higher ? difference : -difference;
        var (low, high) = d.Interval is { } i ? (Math.Min(Gain(i.Low), Gain(i.High)), Math.Max(Gain(i.Low), Gain(i.High))) : ((double?)null, (double?)null);
        var lift = Gain(d.Difference);
        var text = string.Create(CultureInfo.InvariantCulture, $"{d.Metric} own {d.A:0.000} vs pooled {d.B:0.000} on {d.Rows:N0} test rows");
        return d.Verdict switch
        {
            ComparisonVerdict.Better => (d.Metric, higher, d.A, d.B, lift, low, high, OwnModelWorth.Yes, $"Own is better beyond noise: {text}."),
            ComparisonVerdict.Worse => (d.Metric, higher, d.A, d.B, lift, low, high, OwnModelWorth.No, $"Pooled is better: {text}."),
            _ => (d.Metric, higher, d.A, d.B, lift, low, high, OwnModelWorth.No, $"Pooled is as good within noise, so the own model costs without adding value: {text}."),
        };
    }
}
