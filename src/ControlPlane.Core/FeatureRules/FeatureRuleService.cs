using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.FeatureRules;

/// <summary>Reads and versions an enrollment's feature rules; every use goes through <see cref="GetAsync"/>'s effective rules.</summary>
public sealed class FeatureRuleService(IDbContextFactory<ControlPlaneDbContext> dbs)
{
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

    // CONTRACT STUBS — the four methods below are replaced by their real implementations.

    /// <summary>
    /// Saves the tenant's overrides as the next version after checking them against the latest dataset version's columns
    /// and a dry run on its rows. Invalid results carry errors keyed by <see cref="RuleError.Path"/>; nothing is stored
    /// then. Saving rules identical to the latest version stores nothing and returns that version.
    /// </summary>
    public Task<Result<RuleSetView>> SaveAsync(
        string tenantSlug, string useCase, string overridesJson, string comment, string actor, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>The first <paramref name="rows"/> rows of the latest dataset version through the given (unsaved) overrides.</summary>
    public Task<Result<RulePreviewResult>> PreviewAsync(
        string tenantSlug, string useCase, string overridesJson, int rows = 20, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>What changed in the effective rules from version <paramref name="from"/> to <paramref name="to"/> (0 = defaults).</summary>
    public Task<Result<IReadOnlyList<RuleChange>>> DiffAsync(string tenantSlug, string useCase, int from, int to, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>Suggested raw columns for the label, entity key, event time and each feature, from the latest dataset version.</summary>
    public Task<Result<IReadOnlyList<MappingSuggestion>>> SuggestMappingAsync(string tenantSlug, string useCase, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public static RuleDefaults Defaults(UseCase useCase) => new(
        useCase.TaskType, useCase.LabelColumn, useCase.EntityKeyColumn, useCase.EventTimeColumn,
        useCase.DefaultFeatures.Select(f => new RuleDefaults.Feature(f.Name, f.Type)).ToArray());

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
