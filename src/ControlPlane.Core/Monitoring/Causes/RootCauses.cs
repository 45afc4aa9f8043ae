using System.Globalization;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Causes;

/// <summary>The kinds of candidate cause a red cell is explained by.</summary>
public static class CauseKinds
{
    public const string FleetShift = "fleet-shift", SchemaChange = "schema-change", SourceChange = "source-change", RulesChange = "rules-change",
        ModelChange = "model-change", FeatureDrift = "feature-drift", Labels = "labels";
}

/// <summary>One candidate cause: what, the evidence, where to look, when it happened, and how likely it is (0–1, for ranking).</summary>
public sealed record Cause(string Kind, string Title, string Evidence, string? Link, DateTime? At, double Score);

/// <summary>An enrollment's verdict and the candidate causes, most likely first (empty when the verdict needs none).</summary>
public sealed record RootCauseReport(string Tenant, string UseCase, string Verdict, DateTime? Since, IReadOnlyList<Cause> Causes);

/// <summary>
/// Why an enrollment drifts or decays (issue 17 point 6, decision 0048): the candidate causes ranked with their evidence
/// and a link — a fleet-wide shift of the use case on an input it drifts on, a schema or source change in the datasets
/// since the champion's, a rules version saved near the episode, a champion change near it, the inputs that drift (with
/// the rule that made them), too few or late labels. A change counts most when it happened shortly before the episode
/// began (<see cref="Lead"/>): that is what an analyst would check first.
/// </summary>
public sealed class RootCauses(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time)
{
    /// <summary>How long before an episode a change still counts as its likely cause.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromDays(14);

    public async Task<Result<RootCauseReport>> GetAsync(string tenant, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var id = await Enrollment.FindIdAsync(db, tenant, useCase, ct);
        return id is { } enrollmentId
            ? Result<RootCauseReport>.Ok(await RankAsync(enrollmentId, ct))
            : Result<RootCauseReport>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
    }

    public async Task<RootCauseReport> RankAsync(Guid enrollmentId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var target = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Select(e => new { Tenant = e.Tenant!.Slug, UseCase = e.UseCase!.Key, e.UseCaseId }).FirstAsync(ct);
        var health = await db.EnrollmentHealth.AsNoTracking().FirstOrDefaultAsync(h => h.EnrollmentId == enrollmentId, ct);
        var verdict = Verdicts.Of(health?.Verdict);
        var since = Clock.Utc(health?.DriftSince ?? health?.VerdictSince);
        if (verdict is Verdicts.Healthy or Verdicts.NoData)
        {
            return new RootCauseReport(target.Tenant, target.UseCase, verdict, since, []);
        }

        var now = Clock.UtcNow(time);
        var episode = since ?? now;
        var links = new Links(target.Tenant, target.UseCase);
        var causes = new List<Cause>();
        var drifting = health?.DriftFeatures?.Split(',') ?? [];
        causes.AddRange(await FleetAsync(db, target.UseCaseId, target.UseCase, drifting, ct));
        causes.AddRange(await FeaturesAsync(db, enrollmentId, links, ct));

        var champion = await db.ModelAliases.AsNoTracking().Where(a => a.EnrollmentId == enrollmentId && a.Name == AliasNames.Champion)
            .Select(a => new { a.ModelVersion!.Number, a.ModelVersion.DatasetVersionId, a.ModelVersion.RulesVersionNumber, a.ModelVersion.CreatedAt })
            .FirstOrDefaultAsync(ct);
        if (champion?.DatasetVersionId is { } trainedOn)
        {
            causes.AddRange(await DatasetsAsync(db, enrollmentId, trainedOn, episode, links, ct));
        }

        causes.AddRange(await RulesAsync(db, enrollmentId, champion?.RulesVersionNumber ?? 0, episode, links, ct));
        causes.AddRange(await ModelChangesAsync(db, enrollmentId, episode, links, ct));
        causes.AddRange(await LabelsAsync(db, enrollmentId, health, links, ct));
        return new RootCauseReport(target.Tenant, target.UseCase, verdict, since,
            causes.OrderByDescending(c => c.Score).ThenByDescending(c => c.At ?? DateTime.MinValue).ToList());
    }

    /// <summary>Open fleet-wide alerts of the use case on an input this enrollment drifts on.</summary>
    private static async Task<IEnumerable<Cause>> FleetAsync(ControlPlaneDbContext db, Guid useCaseId, string useCase, string[] drifting, CancellationToken ct)
    {
        if (drifting.Length == 0)
        {
            return [];
        }

        var keys = drifting.Select(f => AlertKeys.FleetDrift(useCaseId, f)).ToList();
        var open = await db.Notifications.AsNoTracking().Where(n => n.OpenKey != null && keys.Contains(n.OpenKey))
            .Select(n => new { n.Title, n.Message, n.CreatedAt }).ToListAsync(ct);
        return open.Select(n => new Cause(CauseKinds.FleetShift, n.Title.Replace("Fleet drift: ", "Fleet-wide shift: ", StringComparison.Ordinal),
            n.Message, Sla.MonitoringLinks.UseCase(useCase), Clock.Utc(n.CreatedAt), 0.95));
    }

    /// <summary>The inputs and output changed in the newest window of each source, with the rule that made each.</summary>
    private static async Task<IEnumerable<Cause>> FeaturesAsync(ControlPlaneDbContext db, Guid enrollmentId, Links links, CancellationToken ct)
    {
        var newest = await db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == enrollmentId).OrderByDescending(w => w.Day).ThenByDescending(w => w.CheckedAt)
            .Include(w => w.Features).FirstOrDefaultAsync(ct);
        if (newest is null)
        {
            return [];
        }

        return newest.Features.Where(f => f.Status is "drift" or "warning").Select(f =>
        {
            var output = f.Feature == ModelBaselines.Prediction;
            var psi = f.Psi is { } p ? string.Create(CultureInfo.InvariantCulture, $"PSI {p:0.00}") : "changed";
            var interval = f.PsiLow is { } lo && f.PsiHigh is { } hi ? string.Create(CultureInfo.InvariantCulture, $" (90% interval {lo:0.00}–{hi:0.00})") : "";
            var strength = Math.Min(f.Psi ?? 0, 1) * 0.2;
            return new Cause(CauseKinds.FeatureDrift,
                output ? $"The model's output {f.Status}s: {psi}{interval}" : $"{f.Feature} {f.Status}s: {psi}{interval}",
                $"{(f.Rule is null ? "" : $"From {f.Rule}. ")}{f.Reason} (the {newest.Source} window of {newest.Day:yyyy-MM-dd}).",
                links.Monitoring, Clock.Utc(newest.Day), (f.Status == "drift" ? 0.5 : 0.3) + strength - (output ? 0.25 : 0)); // the output follows its inputs: below any drifting input
        }).ToList();
    }

    /// <summary>Columns added, removed or retyped, or another source, in the dataset versions after the champion's training data.</summary>
    private static async Task<IEnumerable<Cause>> DatasetsAsync(ControlPlaneDbContext db, Guid enrollmentId, Guid trainedOn, DateTime episode, Links links, CancellationToken ct)
    {
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollmentId).OrderBy(v => v.Number)
            .Select(v => new { v.Id, v.Number, v.SchemaJson, v.SourceKind, v.CreatedAt, v.CreatedBy }).ToListAsync(ct);
        var baseline = versions.FirstOrDefault(v => v.Id == trainedOn);
        if (baseline is null)
        {
            return [];
        }

        var causes = new List<Cause>();
        var before = Columns(baseline.SchemaJson);
        var source = baseline.SourceKind;
        foreach (var version in versions.Where(v => v.Number > baseline.Number))
        {
            var at = Clock.Utc(version.CreatedAt)!.Value;
            var columns = Columns(version.SchemaJson);
            var added = columns.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList();
            var removed = before.Keys.Except(columns.Keys).Order(StringComparer.Ordinal).ToList();
            var retyped = columns.Where(c => before.TryGetValue(c.Key, out var t) && t != c.Value)
                .Select(c => $"{c.Key} {before[c.Key].ToString().ToLowerInvariant()} → {c.Value.ToString().ToLowerInvariant()}").ToList();
            if (added.Count + removed.Count + retyped.Count > 0)
            {
                var parts = new[] { ("added", added), ("removed", removed), ("type changed", retyped) }
                    .Where(p => p.Item2.Count > 0).Select(p => $"{p.Item1}: {string.Join(", ", p.Item2.Take(8))}{(p.Item2.Count > 8 ? $" and {p.Item2.Count - 8} more" : "")}");
                causes.Add(new Cause(CauseKinds.SchemaChange, $"Columns changed in dataset v{version.Number}",
                    $"Against v{baseline.Number}, which the champion was trained on — {string.Join("; ", parts)}. Uploaded {at:yyyy-MM-dd HH:mm} UTC by {version.CreatedBy}.",
                    links.Datasets, at, Near(at, episode, 0.85, 0.45)));
            }

            if (version.SourceKind != source)
            {
                causes.Add(new Cause(CauseKinds.SourceChange, $"Data comes from {version.SourceKind} since dataset v{version.Number} (was {source})",
                    $"Dataset v{version.Number} arrived from {version.SourceKind} on {at:yyyy-MM-dd HH:mm} UTC; the champion's training data (v{baseline.Number}) from {baseline.SourceKind}.",
                    links.Datasets, at, Near(at, episode, 0.8, 0.4)));
            }

            (before, source) = (columns, version.SourceKind);
        }

        return causes;
    }

    /// <summary>Rules versions saved since the one the champion was trained with.</summary>
    private static async Task<IEnumerable<Cause>> RulesAsync(ControlPlaneDbContext db, Guid enrollmentId, int trainedWith, DateTime episode, Links links, CancellationToken ct)
    {
        var saved = await db.FeatureRuleVersions.AsNoTracking().Where(r => r.EnrollmentId == enrollmentId && r.Number > trainedWith).OrderBy(r => r.Number)
            .Select(r => new { r.Number, r.CreatedAt, r.CreatedBy, r.Comment }).ToListAsync(ct);
        return saved.Select(r =>
        {
            var at = Clock.Utc(r.CreatedAt)!.Value;
            return new Cause(CauseKinds.RulesChange, $"Rules v{r.Number} saved {at:yyyy-MM-dd}",
                $"Saved by {r.CreatedBy}{(string.IsNullOrWhiteSpace(r.Comment) ? "" : $" (\"{r.Comment}\")")}; the champion was trained with "
                + $"{(trainedWith == 0 ? "the use case's defaults" : $"v{trainedWith}")}, so it reads its rows the old way until it is retrained — a retrain on the new rules may be what is missing, or the new rules are wrong.",
                links.Rules, at, Near(at, episode, 0.6, 0.35));
        }).ToList();
    }

    /// <summary>Champion changes (from one version to another: the first champion changes nothing) shortly before the episode began, or during it.</summary>
    private static async Task<IEnumerable<Cause>> ModelChangesAsync(ControlPlaneDbContext db, Guid enrollmentId, DateTime episode, Links links, CancellationToken ct)
    {
        var from = episode - Lead;
        var changes = await db.AliasChanges.AsNoTracking().Where(c => c.EnrollmentId == enrollmentId && c.Alias == AliasNames.Champion && c.FromVersionId != null && c.At >= from)
            .OrderByDescending(c => c.At)
            .Select(c => new { To = c.ToVersion!.Number, From = c.FromVersion != null ? (int?)c.FromVersion.Number : null, c.At, c.Actor, c.Reason, c.Automatic })
            .ToListAsync(ct);
        return changes.Select(c =>
        {
            var at = Clock.Utc(c.At)!.Value;
            return new Cause(CauseKinds.ModelChange, $"v{c.To} became champion {at:yyyy-MM-dd}{(c.From is { } f ? $" (was v{f})" : "")}",
                $"{(c.Automatic ? "Promoted by the gate" : $"By {c.Actor}")}: {c.Reason}. A new model scores differently; its output is compared with its own test scores.",
                links.Models, at, Near(at, episode, 0.8, 0.4));
        }).ToList();
    }

    /// <summary>Too few labelled rows in the newest realized window, or none at all, while performance is judged.</summary>
    private static async Task<IEnumerable<Cause>> LabelsAsync(ControlPlaneDbContext db, Guid enrollmentId, EnrollmentHealth? health, Links links, CancellationToken ct)
    {
        var settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct));
        var newest = await db.PerformanceWindows.AsNoTracking().Where(p => p.EnrollmentId == enrollmentId && p.Kind == PerformanceKinds.Realized)
            .OrderByDescending(p => p.Day).FirstOrDefaultAsync(ct);
        var decaying = health?.Decay is "decay" or "warning";
        if (newest is null)
        {
            var scored = await db.PerformanceWindows.AnyAsync(p => p.EnrollmentId == enrollmentId, ct);
            return !scored && !decaying ? []
                : [new Cause(CauseKinds.Labels, "No labels have arrived",
                    "No scored row has feedback yet, so realized performance cannot be judged; the decay shown is the label-free estimate (binary models) or nothing. Send feedback, or check the label pipeline.",
                    links.Performance, null, decaying ? 0.7 : 0.4)];
        }

        if (newest.Rows >= settings.DecayMinLabels && newest.Status is not ("skipped" or "no_data"))
        {
            return [];
        }

        return [new Cause(CauseKinds.Labels, string.Create(CultureInfo.InvariantCulture, $"Too few labels: {newest.Rows} in the newest window"),
            string.Create(CultureInfo.InvariantCulture,
                $"The realized window ending {newest.Day:yyyy-MM-dd} has {newest.Rows} labelled rows; judging performance needs {settings.DecayMinLabels}. Labels arrive late or rarely, so a decay verdict rests on few rows or on the estimate."),
            links.Performance, Clock.Utc(newest.Day), decaying ? 0.7 : 0.35)];
    }

    private static Dictionary<string, ML.FeatureType> Columns(string schemaJson)
    {
        try
        {
            return (JsonSerializer.Deserialize<DatasetColumn[]>(schemaJson, DatasetService.JsonOptions) ?? []).GroupBy(c => c.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary><paramref name="near"/> when the change happened within <see cref="Lead"/> before the episode began or during it, else <paramref name="far"/>.</summary>
    private static double Near(DateTime at, DateTime episode, double near, double far) => at >= episode - Lead ? near : far;

    private sealed record Links(string Tenant, string UseCase)
    {
        private string Base => $"/tenants/{Uri.EscapeDataString(Tenant)}/use-cases/{Uri.EscapeDataString(UseCase)}";
        public string Monitoring => $"{Base}/monitoring#drift";
        public string Performance => $"{Base}/monitoring#performance";
        public string Datasets => Base;
        public string Rules => $"{Base}/rules";
        public string Models => $"{Base}/models";
    }
}
