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
