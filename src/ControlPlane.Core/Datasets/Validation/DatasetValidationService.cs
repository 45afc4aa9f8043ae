using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// Validates dataset versions against the enrollment's current effective feature rules and stores the report on the
/// version (<see cref="DatasetVersion.ValidationOutcome"/>, <see cref="DatasetVersion.ValidationJson"/>).
/// </summary>
public sealed class DatasetValidationService(
    RegionCatalog regions, IDbContextFactory<ControlPlaneDbContext> dbs, FeatureRuleService rules, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    /// <summary>Re-validates a version (the latest when <paramref name="number"/> is null) and stores the new report.</summary>
    public async Task<Result<ValidationReport>> ValidateAsync(string tenantSlug, string useCase, int? number = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var versions = db.DatasetVersions.Where(v => v.Enrollment!.Tenant!.Slug == tenantSlug && v.Enrollment.UseCase!.Key == useCase);
        var version = number is { } n
            ? await versions.FirstOrDefaultAsync(v => v.Number == n, ct)
            : await versions.OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return Result<ValidationReport>.NotFound(number is null
                ? $"'{tenantSlug}' has no dataset version for '{useCase}' yet."
                : $"'{tenantSlug}' has no version {number} of its '{useCase}' dataset.");
        }

        var store = regions.StoreFor(version.Region);
        var profile = JsonSerializer.Deserialize<TableProfile>(version.ProfileJson, DatasetService.JsonOptions)
            ?? throw new InvalidOperationException($"Dataset version {version.Number} has no profile.");
        var view = await rules.GetAsync(tenantSlug, useCase, ct: ct);
        if (!view.IsOk) return Result<ValidationReport>.NotFound(view.Message!);

        var report = await ComputeAsync(view.Value!, version.Number, profile,
            columns => SnapshotReader.ReadAsync(store, version.SnapshotPath, columns, null, ct));
        Record(version, report);
        // The rules may map the event time to another column now (an upload made before the mapping had none): its days follow.
        (version.TimeFrom, version.TimeTo) = DatasetService.TimeSpanOf(profile, view.Value!.Effective.EventTime);
        await db.SaveChangesAsync(ct);
        return Result<ValidationReport>.Ok(report);
    }

    /// <summary>The report of a version being made, before it is stored: the snapshot is still a local file.</summary>
    /// <param name="view">The enrollment's rules, already read by the caller (which also uses them).</param>
    internal Task<ValidationReport> ComputeAsync(RuleSetView view, int number, TableProfile profile, Stream snapshot, CancellationToken ct) =>
        ComputeAsync(view, number, profile, columns =>
        {
            snapshot.Position = 0;
            return SnapshotReader.ReadAsync(snapshot, columns, null, ct);
        });

    internal static void Record(DatasetVersion version, ValidationReport report)
    {
        version.ValidationOutcome = report.Outcome;
        version.ValidationJson = JsonSerializer.Serialize(report, DatasetService.JsonOptions);
    }

    private async Task<ValidationReport> ComputeAsync(
        RuleSetView view, int number, TableProfile profile, Func<IReadOnlyCollection<string>, Task<ML.Rules.RawTable>> readRows)
    {
        var mapped = MappedColumns.From(view.Effective);
        var own = await OwnLimitAsync(view.Tenant, view.UseCase);
        var rows = await readRows(DatasetValidator.RowColumns(mapped));
        var limits = own is null ? options.Value.Validation : options.Value.Validation.WithNullRateBlocking(own.NullRateBlocking);
        var input = new ValidationInput(view.Effective, view.Task, profile, rows, limits) { OwnLimitReason = own?.Reason };
        return DatasetValidator.Validate(input, number, view.Number, Clock.UtcNow(time));
    }

    /// <summary>
    /// After rules are saved: the newest version judged again when its report is by other rules (an upload made before
    /// the tenant mapped its columns was judged by the defaults and would stay blocked). Null when there is no version
    /// or its report is already by <paramref name="rulesVersion"/>.
    /// </summary>
    public async Task<ValidationReport?> RevalidateLatestAsync(string tenantSlug, string useCase, int rulesVersion, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var latest = await db.DatasetVersions.AsNoTracking()
                .Where(v => v.Enrollment!.Tenant!.Slug == tenantSlug && v.Enrollment.UseCase!.Key == useCase)
                .OrderByDescending(v => v.Number).Select(v => new { v.ValidationJson }).FirstOrDefaultAsync(ct);
            if (latest is null) return null;
            var stored = string.IsNullOrEmpty(latest.ValidationJson) ? null : JsonSerializer.Deserialize<ValidationReport>(latest.ValidationJson, DatasetService.JsonOptions);
            if (stored?.RulesVersion == rulesVersion) return null;
        }
        var result = await ValidateAsync(tenantSlug, useCase, ct: ct);
        return result.IsOk ? result.Value : null;
    }

    private async Task<EnrollmentValidation?> OwnLimitAsync(string tenantSlug, string useCase)
    {
        await using var db = await dbs.CreateDbContextAsync();
        return await db.EnrollmentValidation.AsNoTracking()
            .Where(v => db.Enrollments.Any(e => e.Id == v.EnrollmentId && e.Tenant!.Slug == tenantSlug && e.UseCase!.Key == useCase))
            .FirstOrDefaultAsync();
    }
}
