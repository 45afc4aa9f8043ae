using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Tenants;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// Drift checks of an enrollment's scored data: daily windows (<see cref="DriftWindowPlan"/>) over the batch predictions
/// or the logged real-time ones, each compared with the baselines of the version that scored most of its rows, in one
/// featurization pass per version. The windows are stored replacing earlier checks of the same days, in one
/// transaction; then the enrollment's health, the use case's drift gauge and, when drift starts, an alert follow.
/// </summary>
public sealed class DriftChecks(
    IDbContextFactory<ControlPlaneDbContext> dbs, DriftSamples samples, ModelCache cache, DriftHealthUpdater health, TimeProvider time)
{
    public static IReadOnlyList<string> Sources { get; } = [PredictionSources.Batch, PredictionSources.RealTime];

    /// <summary>Checks one enrollment (by tenant slug and use case key); see <see cref="CheckAsync(Guid, string, Guid?, CancellationToken)"/>.</summary>
    public async Task<DriftCheckResult> CheckAsync(string tenant, string useCase, string source, Guid? runId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var id = await Enrollment.FindIdAsync(db, tenant, useCase, ct)
            ?? throw new InvalidOperationException(Enrollment.NotEnrolled(tenant, useCase));
        return await CheckAsync(id, source, runId, ct);
    }

    /// <summary>
    /// Checks the last <see cref="DriftWindowPlan.Days"/> days of one source (batch or realtime) of an enrollment. Stores
    /// nothing, and says why, when there is no champion, nothing scored, or no version with baselines.
    /// </summary>
    public async Task<DriftCheckResult> CheckAsync(Guid enrollmentId, string source, Guid? runId, CancellationToken ct)
    {
        if (!Sources.Contains(source))
        {
            throw new ArgumentException($"source must be one of {string.Join(", ", Sources)}; it was '{source}'.", nameof(source));
        }

        DriftTarget target;
        MonitoringSettings settings;
        CheckScope scope;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            target = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
                .Select(e => new DriftTarget(e.Id, e.Tenant!.Slug, e.UseCase!.Key, e.UseCaseId, e.Tenant.Region, e.UseCase.TaskType)).FirstOrDefaultAsync(ct)
                ?? throw new InvalidOperationException($"Enrollment {enrollmentId} does not exist.");
            if (!await db.ModelAliases.AnyAsync(a => a.EnrollmentId == enrollmentId && a.Name == AliasNames.Champion, ct))
            {
                return Nothing(target, source, $"'{target.Tenant}' / '{target.UseCase}' has no champion model: train and promote a version before checking drift.");
            }

            var policy = await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct);
            settings = MonitoringSettings.From(policy);
            scope = await ScopeAsync(db, target, source, policy?.UpdatedAt, settings.MaxWindowDays, ct);
            if (scope.Unchanged is { } unchanged)
            {
                return unchanged;
            }
        }

        var sample = source == PredictionSources.Batch
            ? await samples.BatchAsync(target, settings.MaxWindowDays, scope.LoadFrom, ct)
            : await samples.RealtimeAsync(target, settings.MaxWindowDays, scope.LoadFrom, ct);
        var plan = DriftWindowPlan.Plan(sample, settings.MinRows, settings.MaxWindowDays, scope.Days);
        if (plan.Count == 0 && scope.Days is not null)
        {
            // The new rows fall outside the checked days (a backfill of old history): the stored windows stand.
            await using var db = await dbs.CreateDbContextAsync(ct);
            return await StoredAsync(db, target, source, $"The {source} rows new since the last check are older than the {DriftWindowPlan.Days} days checked: the stored windows stand.", ct);
        }

        if (plan.Count == 0)
        {
            return Nothing(target, source, sample.Note ?? $"'{target.Tenant}' / '{target.UseCase}' has no scored rows to check.");
        }

        var thresholds = settings.DriftThresholds;
        var skipped = new List<string>();
        var windows = new List<DriftWindow>(plan.Count);
        var checkedAt = Common.Clock.UtcNow(time);
        Dictionary<Guid, string> labels;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            labels = await PredictionQueries.LabelsAsync(db, plan.Select(w => w.VersionId).Distinct(), ct);
        }

        var dayCounts = new List<DriftDayCount>();
        foreach (var group in plan.GroupBy(w => w.VersionId))
        {
            var label = labels.GetValueOrDefault(group.Key, "a deleted version");
            var (results, why) = await CompareAsync(target.EnrollmentId, group.Key, label, sample, group.ToList(), thresholds, ct);
            if (why is not null)
            {
                skipped.Add($"{group.Count()} window(s) scored by {label}: {why}");
                continue;
            }

            windows.AddRange(group.Select((w, i) => Window(target, source, w, results!.Windows[i], thresholds, runId, checkedAt)));
            dayCounts.AddRange(DayCounts(target.EnrollmentId, source, group.Key, group.Select(w => w.Day).ToList(), sample, results!.Days, checkedAt));
        }

        if (windows.Count == 0)
        {
            return Nothing(target, source, string.Join(" ", skipped), skipped);
        }

        await StoreAsync(target.EnrollmentId, source, windows, dayCounts, ct);
        var latest = windows.MaxBy(w => w.Day)!;
        await health.UpdateAsync(target, ct);
        return new DriftCheckResult(target.Tenant, target.UseCase, source, windows.Count, latest.Status, DriftHealthUpdater.NoteOf(latest), latest.Day,
            sample.Note, skipped);
    }

    /// <summary>
    /// Counts the days in [<paramref name="from"/>, <paramref name="until"/>) into <see cref="DriftDayCount"/> rows,
    /// however old, each with the baselines of the version that scored most of it — for comparing periods no check
    /// covered (decision 0047). Stores no windows and changes no verdict. With <paramref name="binsOf"/>, every day is
    /// counted into that version's bins instead (a period compared in another version's bins), and nothing is stored.
    /// Returns the counts and why some days were not counted.
    /// </summary>
    public async Task<(IReadOnlyList<DriftDayCount> Counts, IReadOnlyList<string> Skipped)> CountDaysAsync(
        DriftTarget target, string source, DateTime from, DateTime until, Guid? binsOf, CancellationToken ct)
    {
        var sample = source == PredictionSources.Batch
            ? await samples.BatchRangeAsync(target, from, until, ct)
            : await samples.RealtimeRangeAsync(target, from, until, ct);
        var days = sample.Days.Where(d => d.Value.Rows.Count > 0 && d.Value.Versions.Count > 0).OrderBy(d => d.Key)
            .Select(d => new PlannedWindow(d.Key, d.Key, [.. d.Value.Rows], [.. d.Value.Scores], [.. d.Value.Labels],
                binsOf ?? d.Value.Versions.MaxBy(v => v.Value).Key, d.Value.Seen))
            .ToList();
        if (days.Count == 0)
        {
            return ([], []);
        }

        Dictionary<Guid, string> labels;
        MonitoringSettings settings;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            labels = await PredictionQueries.LabelsAsync(db, days.Select(w => w.VersionId).Distinct(), ct);
            settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == target.EnrollmentId, ct));
        }

        var counted = new List<DriftDayCount>();
        var skipped = new List<string>();
        var at = Common.Clock.UtcNow(time);
        foreach (var group in days.GroupBy(w => w.VersionId))
        {
            var label = labels.GetValueOrDefault(group.Key, "a deleted version");
            var (results, why) = await CompareAsync(target.EnrollmentId, group.Key, label, sample, group.ToList(), settings.DriftThresholds, ct);
            if (why is not null)
            {
                skipped.Add($"{group.Count()} day(s) scored by {label}: {why}");
                continue;
            }

            counted.AddRange(DayCounts(target.EnrollmentId, source, group.Key, group.Select(w => w.Day).ToList(), sample, results!.Days, at));
        }

        if (binsOf is not null)
        {
            return (counted, skipped);
        }

        var countedDays = counted.Select(c => c.Day).Distinct().ToList();
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.DriftDayCounts.Where(d => d.EnrollmentId == target.EnrollmentId && d.Source == source && countedDays.Contains(d.Day)).ExecuteDeleteAsync(ct);
            db.DriftDayCounts.AddRange(counted);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        return (counted, skipped);
    }

    /// <summary>What a check must recompute: every day (<see cref="Days"/> null), the listed days, or nothing (<see cref="Unchanged"/>).</summary>
    private sealed record CheckScope(IReadOnlySet<DateTime>? Days, DateTime? LoadFrom, DriftCheckResult? Unchanged)
    {
        public static CheckScope Everything { get; } = new(null, null, null);
    }

    /// <summary>
    /// Which windows can have changed since the last check of this source. Everything when there was none or the policy
    /// was edited after it. Otherwise the days holding data that arrived since (a batch partition completed, real-time rows
    /// logged; less a minute for clock skew between nodes and the log's buffered writes), and the days after them whose
    /// widened windows may reach back over them; the rows are read from the earliest day such a window starts on. With
    /// nothing new the stored result stands and nothing is read: the hourly sweep then costs a few indexed reads per
    /// enrollment instead of 90 days of rows and datasets, and a daily score reloads a few days, not 90.
    /// </summary>
    private static async Task<CheckScope> ScopeAsync(
        ControlPlaneDbContext db, DriftTarget target, string source, DateTime? policyUpdated, int maxWindowDays, CancellationToken ct)
    {
        var enrollmentId = target.EnrollmentId;
        var stored = db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == enrollmentId && w.Source == source);
        var lastChecked = await stored.MaxAsync(w => (DateTime?)w.CheckedAt, ct);
        if (lastChecked is not { } at || policyUpdated > at)
        {
            return CheckScope.Everything;
        }

        var since = at.AddMinutes(-1); // also covers clock skew between the node that scored and the node that checked
        var (first, last) = (DateTime.MaxValue, DateTime.MinValue);
        if (source == PredictionSources.Batch)
        {
            var fresh = await db.PredictionPartitions.AsNoTracking()
                .Where(p => p.EnrollmentId == enrollmentId && p.State == PartitionStates.Done && (p.CompletedAt ?? p.CreatedAt) > since)
                .Select(p => p.Id).ToListAsync(ct);
            foreach (var range in fresh.Count == 0 ? [] : await db.Predictions.AsNoTracking().Where(p => fresh.Contains(p.PartitionId))
                         .GroupBy(p => p.PartitionId).Select(g => new { From = g.Min(p => p.AsOf), To = g.Max(p => p.AsOf) }).ToListAsync(ct))
            {
                (first, last) = (range.From < first ? range.From : first, range.To > last ? range.To : last);
            }
        }
        else
        {
            var log = db.PredictionLog.AsNoTracking().Where(e => e.EnrollmentId == enrollmentId && e.Source == source && e.At > since);
            if (await log.MinAsync(e => (DateTime?)e.At, ct) is { } from)
            {
                (first, last) = (from, (await log.MaxAsync(e => (DateTime?)e.At, ct))!.Value);
            }
        }

        if (first > last)
        {
            return new CheckScope(null, null, await StoredAsync(db, target, source,
                $"Nothing {(source == PredictionSources.Batch ? "scored" : "logged")} since the check at {DateTime.SpecifyKind(at, DateTimeKind.Utc):yyyy-MM-dd HH:mm:ss} UTC "
                + "and the policy unchanged: its windows stand.", ct));
        }

        // Days with new data, and the days after them whose windows may widen back over them.
        var (firstDay, lastDay) = (DateTime.SpecifyKind(first.Date, DateTimeKind.Utc), DateTime.SpecifyKind(last.Date, DateTimeKind.Utc));
        var days = new HashSet<DateTime>();
        for (var day = firstDay; day <= lastDay.AddDays(maxWindowDays - 1); day = day.AddDays(1))
        {
            days.Add(day);
        }

        return new CheckScope(days, firstDay.AddDays(-(maxWindowDays - 1)), null);
    }

    /// <summary>The newest stored window of the source as a result that stored nothing new.</summary>
    private static async Task<DriftCheckResult> StoredAsync(ControlPlaneDbContext db, DriftTarget target, string source, string message, CancellationToken ct)
    {
        var latest = await db.DriftWindows.AsNoTracking().Include(w => w.Features)
            .Where(w => w.EnrollmentId == target.EnrollmentId && w.Source == source).OrderByDescending(w => w.Day).FirstAsync(ct);
        return new DriftCheckResult(target.Tenant, target.UseCase, source, 0, latest.Status, DriftHealthUpdater.NoteOf(latest), latest.Day, message, []);
    }

    /// <summary>A version's windows compared, and the end day of each counted on its own (<see cref="DriftDayCount"/>).</summary>
    private sealed record Compared(IReadOnlyList<IReadOnlyList<FeatureDrift>> Windows, IReadOnlyList<IReadOnlyDictionary<string, BinCounts>> Days);

    private async Task<(Compared? Results, string? Why)> CompareAsync(
        Guid enrollmentId, Guid versionId, string label, DriftSample sample, IReadOnlyList<PlannedWindow> windows, DriftThresholds thresholds,
        CancellationToken ct)
    {
        string? kind;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            kind = await db.ModelVersions.Where(v => v.Id == versionId).Select(v => v.Kind).FirstOrDefaultAsync(ct);
            if (kind == ModelVersionKinds.Pooled)
            {
                // A pooled model reads canonical columns: the tenant's rows are mapped by its own version's rules, as when scoring.
                var mapping = await ChampionDirectory.MappingAsync(db, enrollmentId, versionId, ct);
                if (mapping is null)
                {
                    return (null, $"no own version of the tenant maps its rows onto {label}'s columns.");
                }

                try
                {
                    using var lease = await cache.RentPooledAsync(versionId, mapping.Id, ct);
                    var rows = BatchScorer.Align(sample.Table, lease.InputColumns, lease.RequiredColumns, out var mappingError);
                    return rows is null
                        ? (null, $"the rows do not fit the mapping of {label}: {mappingError}")
                        : Compare(lease.Model, label, lease.Map(rows).Table, sample, windows, thresholds);
                }
                catch (ModelUnavailableException e)
                {
                    return (null, e.Message);
                }
            }
        }

        ML.Training.TrainedModel model;
        try
        {
            model = await cache.ModelAsync(versionId, ct);
        }
        catch (ModelUnavailableException e)
        {
            return (null, e.Message);
        }

        var aligned = BatchScorer.Align(sample.Table, model, out var error);
        return aligned is null ? (null, $"the rows do not fit {label}: {error}") : Compare(model, label, aligned, sample, windows, thresholds);
    }

    private static (Compared? Results, string? Why) Compare(
        ML.Training.TrainedModel model, string label, ML.Rules.RawTable rows, DriftSample sample, IReadOnlyList<PlannedWindow> windows, DriftThresholds thresholds)
    {
        if (model.Report.Baselines.Count == 0)
        {
            return (null, $"{label} was trained before drift baselines were kept; retrain to monitor its drift.");
        }

        var multiclass = model.Report.Task == TaskType.Multiclass;
        var results = model.DriftWindows(rows, windows.Select(w => w.Rows).ToArray(), thresholds,
            scores: multiclass ? null : windows.Select(w => w.Scores).ToArray(),
            classes: multiclass ? windows.Select(w => (IReadOnlyList<string?>?)w.Labels).ToArray() : null,
            spanDays: windows.Select(w => (int?)((w.Day - w.Start).Days + 1)).ToArray());
        var days = windows.Select(w => sample.Days[w.Day]).ToList();
        var counts = model.DriftDayCounts(rows, days.Select(d => d.Rows.ToArray()).ToArray(), days.Select(d => d.Scores.ToArray()).ToArray(),
            multiclass ? days.Select(d => (IReadOnlyList<string?>?)d.Labels).ToArray() : null);
        return (new Compared(results, counts), null);
    }

    private static IEnumerable<DriftDayCount> DayCounts(Guid enrollmentId, string source, Guid versionId, IReadOnlyList<DateTime> days, DriftSample sample,
        IReadOnlyList<IReadOnlyDictionary<string, BinCounts>> counts, DateTime at)
    {
        for (var i = 0; i < counts.Count; i++)
        {
            foreach (var (feature, c) in counts[i])
            {
                yield return new DriftDayCount
                {
                    EnrollmentId = enrollmentId, Source = source, Day = days[i], ModelVersionId = versionId, Feature = TextLimits.Clip(feature, 200),
                    Rows = c.Rows, Missing = c.Missing, Seen = sample.Days[days[i]].Seen, Counts = JsonSerializer.Serialize(c.Counts), CheckedAt = at,
                };
            }
        }
    }

    private static DriftWindow Window(
        DriftTarget target, string source, PlannedWindow planned, IReadOnlyList<FeatureDrift> features, DriftThresholds thresholds, Guid? runId, DateTime at)
    {
        var inputs = features.Where(f => f.Feature != ModelBaselines.Prediction).ToList();
        var prediction = features.FirstOrDefault(f => f.Feature == ModelBaselines.Prediction);
        var window = new DriftWindow
        {
            Id = Guid.NewGuid(), EnrollmentId = target.EnrollmentId, Source = source, Day = planned.Day, WindowStart = planned.Start,
            Rows = planned.Seen, ModelVersionId = planned.VersionId, Status = DatasetStatus(inputs, prediction, thresholds),
            DriftedFeatures = inputs.Count(f => f.Status == DriftStatus.Drift),
            JudgedFeatures = inputs.Count(f => f.Status is not (DriftStatus.NoData or DriftStatus.Skipped)),
            PredictionStatus = prediction is null ? null : DriftStatusText.Of(prediction.Status), RunId = runId, CheckedAt = at,
        };
        var quantiles = planned.Scores.Length > 0 ? DriftHistogramJson.QuantilesOf(planned.Scores) : null;
        window.Features.AddRange(features.Select(f => new DriftFeatureResult
        {
            WindowId = window.Id, EnrollmentId = target.EnrollmentId, Feature = TextLimits.Clip(f.Feature, 200), Kind = f.Kind.ToString().ToLowerInvariant(),
            Status = DriftStatusText.Of(f.Status), Psi = Finite(f.Psi), Test = f.Test, Statistic = Finite(f.Statistic), PValue = Finite(f.PValue),
            Rows = f.Rows, Missing = f.Missing, Reason = f.Reason is null ? null : TextLimits.Clip(f.Reason, 1000),
            HistogramJson = DriftHistogramJson.Write(f, f.Feature == ModelBaselines.Prediction ? quantiles : null),
            PsiLow = Finite(f.Estimate?.Low), PsiHigh = Finite(f.Estimate?.High), AdjustedPValue = Finite(f.AdjustedPValue),
            Rule = f.Rule is null ? null : TextLimits.Clip(f.Rule, 300),
        }));
        return window;
    }

    /// <summary>
    /// Drift when at least the policy's share of the judged input features drift; otherwise warning when any of them, or
    /// the model's output, warns or drifts — the output alone never makes a window drift: it is compared with the tested
    /// fit's scores on the test split while the served model scores later rows, and a model reading the time moves its
    /// output as time passes with no input changing (decision 0045); ok when nothing does; skipped when features were
    /// seen but too few rows to judge any, no_data when nothing was seen.
    /// </summary>
    public static string DatasetStatus(IReadOnlyList<FeatureDrift> inputs, FeatureDrift? prediction, DriftThresholds thresholds)
    {
        if (ML.Monitoring.Drift.Dataset(inputs, thresholds).Drifting)
        {
            return "drift";
        }

        var judged = inputs.Where(f => f.Status is not (DriftStatus.NoData or DriftStatus.Skipped)).ToList();
        if (judged.Count == 0)
        {
            return inputs.Any(f => f.Status == DriftStatus.Skipped) ? "skipped" : "no_data";
        }

        return judged.Any(f => f.Status is DriftStatus.Warning or DriftStatus.Drift) || prediction?.Status is DriftStatus.Warning or DriftStatus.Drift
            ? "warning" : "ok";
    }

    private async Task StoreAsync(Guid enrollmentId, string source, List<DriftWindow> windows, List<DriftDayCount> dayCounts, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var days = windows.Select(w => w.Day).ToList();
        var old = db.DriftWindows.Where(w => w.EnrollmentId == enrollmentId && w.Source == source && days.Contains(w.Day));
        await db.DriftFeatureResults.Where(f => old.Select(w => w.Id).Contains(f.WindowId)).ExecuteDeleteAsync(ct);
        await old.ExecuteDeleteAsync(ct);
        await db.DriftDayCounts.Where(d => d.EnrollmentId == enrollmentId && d.Source == source && days.Contains(d.Day)).ExecuteDeleteAsync(ct);
        db.DriftWindows.AddRange(windows);
        db.DriftDayCounts.AddRange(dayCounts);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static DriftCheckResult Nothing(DriftTarget target, string source, string message, IReadOnlyList<string>? skipped = null) =>
        new(target.Tenant, target.UseCase, source, 0, null, null, null, message, skipped ?? []);

    /// <summary>A figure as stored and returned: null when it is not a finite number.</summary>
    internal static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
