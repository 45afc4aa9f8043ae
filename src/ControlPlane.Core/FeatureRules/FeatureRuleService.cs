using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.FeatureRules;

/// <summary>Reads and versions an enrollment's feature rules; every use goes through <see cref="GetAsync"/>'s effective rules.</summary>
public sealed class FeatureRuleService(IDbContextFactory<ControlPlaneDbContext> dbs, RegionCatalog regions, TimeProvider time)
{
    public const int MaxCommentLength = 500;

    public const int MaxPreviewRows = 200;

    /// <summary>The latest rules of an enrollment (or, with <paramref name="number"/>, that version).</summary>
    public async Task<Result<RuleSetView>> GetAsync(string tenantSlug, string useCase, int? number = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await FindEnrollmentAsync(db, tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<RuleSetView>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        var versions = db.FeatureRuleVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id);
        var version = number is { } n
            ? await versions.FirstOrDefaultAsync(v => v.Number == n, ct)
            : await versions.OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (number is > 0 && version is null)
        {
            return Result<RuleSetView>.NotFound($"'{tenantSlug}' has no version {number} of its '{useCase}' rules.");
        }

        return Result<RuleSetView>.Ok(View(enrollment, version));
    }

    public async Task<Result<IReadOnlyList<RuleVersionSummary>>> ListVersionsAsync(string tenantSlug, string useCase, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await FindEnrollmentAsync(db, tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<IReadOnlyList<RuleVersionSummary>>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        var versions = await db.FeatureRuleVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id)
            .OrderByDescending(v => v.Number)
            .Select(v => new RuleVersionSummary(v.Number, v.Comment, v.CreatedAt, v.CreatedBy))
            .ToListAsync(ct);
        return Result<IReadOnlyList<RuleVersionSummary>>.Ok(versions);
    }

    /// <summary>
    /// Saves the tenant's overrides as the next version after checking them against the latest dataset version's columns
    /// and a dry run on its rows. Invalid results carry errors keyed by <see cref="RuleError.Path"/>; nothing is stored
    /// then. Saving rules identical to the latest version stores nothing and returns that version.
    /// </summary>
    public async Task<Result<RuleSetView>> SaveAsync(
        string tenantSlug, string useCase, string overridesJson, string comment, string actor, CancellationToken ct = default)
    {
        comment = comment?.Trim() ?? "";
        if (comment.Length > MaxCommentLength)
        {
            return Result<RuleSetView>.Invalid("comment", $"The comment is {comment.Length} characters long; the limit is {MaxCommentLength}.");
        }

        var (enrollment, latest) = await LoadAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<RuleSetView>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        var candidate = RuleCandidate.Check(overridesJson, Defaults(enrollment.UseCase!), latest);
        if (!candidate.Errors.Any && candidate.Data is { } data)
        {
            candidate.Add(await DryRunAsync(candidate.Effective, enrollment.UseCase!.TaskType, data, ct));
        }

        return candidate.Errors.Any
            ? Result<RuleSetView>.Invalid(candidate.Errors)
            : Result<RuleSetView>.Ok(View(enrollment, await RuleVersionWriter.StoreAsync(dbs, enrollment.Id, candidate.Json, comment, actor, Clock.UtcNow(time), ct)));
    }

    /// <summary>The first <paramref name="rows"/> rows of the latest dataset version through the given (unsaved) overrides.</summary>
    public async Task<Result<RulePreviewResult>> PreviewAsync(
        string tenantSlug, string useCase, string overridesJson, int rows = 20, CancellationToken ct = default)
    {
        var (enrollment, latest) = await LoadAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<RulePreviewResult>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        var candidate = RuleCandidate.Check(overridesJson, Defaults(enrollment.UseCase!), latest);
        if (candidate.Errors.Any)
        {
            return Result<RulePreviewResult>.Invalid(candidate.Errors);
        }

        if (candidate.Data is not { } data)
        {
            return Result<RulePreviewResult>.Invalid("dataset",
                $"'{tenantSlug}' has no dataset for '{useCase}' yet: upload one to preview its rows through the rules.");
        }

        var sample = await data.SampleAsync(regions, ct);
        try
        {
            return Result<RulePreviewResult>.Ok(RulePreview.Run(candidate.Effective, enrollment.UseCase!.TaskType, sample, Math.Clamp(rows, 1, MaxPreviewRows)));
        }
        catch (RuleSetException ex)
        {
            candidate.Add(ex.Errors);
            return Result<RulePreviewResult>.Invalid(candidate.Errors);
        }
    }

    /// <summary>What changed in the effective rules from version <paramref name="from"/> to <paramref name="to"/> (0 = defaults).</summary>
    public async Task<Result<IReadOnlyList<RuleChange>>> DiffAsync(string tenantSlug, string useCase, int from, int to, CancellationToken ct = default)
    {
        if (from < 0 || to < 0)
        {
            return Result<IReadOnlyList<RuleChange>>.Invalid(from < 0 ? "from" : "to", "A version number is 0 (the use case's defaults) or more.");
        }

        var before = await GetAsync(tenantSlug, useCase, from, ct);
        if (!before.IsOk)
        {
            return Result<IReadOnlyList<RuleChange>>.NotFound(before.Message!);
        }

        var after = await GetAsync(tenantSlug, useCase, to, ct);
        return after.IsOk
            ? Result<IReadOnlyList<RuleChange>>.Ok(RuleDiff.Compare(before.Value!.Effective, after.Value!.Effective))
            : Result<IReadOnlyList<RuleChange>>.NotFound(after.Message!);
    }

    /// <summary>Suggested raw columns for the label, entity key, event time and each feature, from the latest dataset version.</summary>
    public async Task<Result<IReadOnlyList<MappingSuggestion>>> SuggestMappingAsync(string tenantSlug, string useCase, CancellationToken ct = default)
    {
        var (enrollment, latest) = await LoadAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<IReadOnlyList<MappingSuggestion>>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        return latest is { } data
            ? Result<IReadOnlyList<MappingSuggestion>>.Ok(MappingAssistant.Suggest(Defaults(enrollment.UseCase!), data.Columns))
            : Result<IReadOnlyList<MappingSuggestion>>.Invalid("dataset",
                $"'{tenantSlug}' has no dataset for '{useCase}' yet: upload one so its columns can be matched to the features.");
    }

    public static RuleDefaults Defaults(UseCase useCase) => new(
        useCase.TaskType, useCase.LabelColumn, useCase.EntityKeyColumn, useCase.EventTimeColumn,
        useCase.DefaultFeatures.Select(f => new RuleDefaults.Feature(f.Name, f.Type, f.Source, f.DateParts)).ToArray());

    /// <summary>The enrollment and its latest dataset version, read in a context closed before any slow work on the data.</summary>
    private async Task<(Enrollment? Enrollment, RuleDataset? Latest)> LoadAsync(string tenantSlug, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await FindEnrollmentAsync(db, tenantSlug, useCase, ct);
        return enrollment is null ? (null, null) : (enrollment, await RuleDataset.LatestAsync(db, enrollment.Id, ct));
    }

    private async Task<IReadOnlyList<RuleError>> DryRunAsync(RuleSet effective, ML.TaskType task, RuleDataset data, CancellationToken ct)
    {
        var sample = await data.SampleAsync(regions, ct);
        try
        {
            return RuleDryRun.Check(effective, task, sample);
        }
        catch (RuleSetException ex)
        {
            return ex.Errors;
        }
    }

    private static RuleSetView View(Enrollment enrollment, FeatureRuleVersion? version)
    {
        var useCase = enrollment.UseCase!;
        var defaults = Defaults(useCase);
        var overrides = version is null ? new RuleSet() : RuleJson.Parse(version.Json);
        return new RuleSetView(
            enrollment.Tenant!.Slug, useCase.Key, useCase.TaskType, version?.Number ?? 0, version?.Json ?? RuleJson.Write(overrides),
            overrides, RuleInheritance.Effective(defaults, overrides), defaults, version?.Comment ?? "", version?.CreatedAt, version?.CreatedBy);
    }

    private static Task<Enrollment?> FindEnrollmentAsync(ControlPlaneDbContext db, string tenantSlug, string useCase, CancellationToken ct) =>
        db.Enrollments.AsNoTracking().Include(e => e.Tenant).Include(e => e.UseCase)
            .FirstOrDefaultAsync(e => e.Tenant!.Slug == tenantSlug && e.UseCase!.Key == useCase, ct);
}
