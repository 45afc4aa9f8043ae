using ControlPlane.ML;
using System.Text.RegularExpressions;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.UseCases;

public sealed partial class UseCaseService(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time)
{
    /// <param name="onlyTenants">A scoped caller's tenants: enrolled tenants are counted among those only (null: all).</param>
    public async Task<IReadOnlyList<UseCaseSummary>> ListAsync(CancellationToken ct = default, IReadOnlyList<string>? onlyTenants = null)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var useCases = await db.UseCases.AsNoTracking().OrderBy(u => u.Key).ToListAsync(ct);
        var enrollments = db.Enrollments.AsQueryable();
        if (onlyTenants is { } only)
        {
            var allowed = only.ToList();
            enrollments = enrollments.Where(e => allowed.Contains(e.Tenant!.Slug));
        }

        var counts = await enrollments.GroupBy(e => e.UseCaseId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return useCases.Select(u => ToSummary(u, counts.GetValueOrDefault(u.Id))).ToList();
    }

    public async Task<UseCaseSummary?> GetAsync(string key, CancellationToken ct = default, IReadOnlyList<string>? onlyTenants = null)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var useCase = await db.UseCases.AsNoTracking().FirstOrDefaultAsync(u => u.Key == key, ct);
        if (useCase is null)
        {
            return null;
        }

        var allowed = onlyTenants?.ToList();
        var count = await db.Enrollments.CountAsync(e => e.UseCaseId == useCase.Id && (allowed == null || allowed.Contains(e.Tenant!.Slug)), ct);
        return ToSummary(useCase, count);
    }

    public async Task<Result<UseCaseSummary>> CreateAsync(CreateUseCaseRequest request, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var errors = Validate(request);
        if (errors.Any)
        {
            return Result<UseCaseSummary>.Invalid(errors);
        }

        if (await db.UseCases.AnyAsync(u => u.Key == request.Key, ct))
        {
            return Result<UseCaseSummary>.Conflict(nameof(request.Key), $"A use case with key '{request.Key}' already exists.");
        }

        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Key = request.Key!,
            Name = request.Name!.Trim(),
            Description = request.Description?.Trim() ?? "",
            TaskType = request.TaskType!.Value,
            LabelColumn = request.LabelColumn!.Trim(),
            EntityKeyColumn = request.EntityKeyColumn!.Trim(),
            EventTimeColumn = string.IsNullOrWhiteSpace(request.EventTimeColumn) ? null : request.EventTimeColumn.Trim(),
            DefaultFeatures = request.Features!.Select(f => f with { Name = f.Name.Trim() }).ToList(),
            CreatedAt = Clock.UtcNow(time),
            CreatedBy = actor,
        };
        db.UseCases.Add(useCase);
        await db.SaveChangesAsync(ct);
        return Result<UseCaseSummary>.Ok(ToSummary(useCase, 0));
    }

    internal static ValidationErrors Validate(CreateUseCaseRequest r)
    {
        var errors = new ValidationErrors();
        if (Slug.Problem(r.Key, "Key") is { } keyProblem)
        {
            errors.Add(nameof(r.Key), keyProblem);
        }

        if (string.IsNullOrWhiteSpace(r.Name))
        {
            errors.Add(nameof(r.Name), "Name is required.");
        }
        else if (r.Name.Length > 200)
        {
            errors.Add(nameof(r.Name), "Name must be at most 200 characters.");
        }

        if (r.TaskType is null || !Enum.IsDefined(r.TaskType.Value))
        {
            errors.Add(nameof(r.TaskType), "Task type is required: Binary, Multiclass or Regression.");
        }

        CheckColumn(errors, nameof(r.LabelColumn), "Label column", r.LabelColumn, required: true);
        CheckColumn(errors, nameof(r.EntityKeyColumn), "Entity key column", r.EntityKeyColumn, required: true);
        CheckColumn(errors, nameof(r.EventTimeColumn), "Event time column", r.EventTimeColumn, required: false);

        if (r.Features is null || r.Features.Count == 0)
        {
            errors.Add(nameof(r.Features), "At least one feature column is required.");
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { r.LabelColumn ?? "", r.EntityKeyColumn ?? "" };
        for (var i = 0; i < r.Features.Count; i++)
        {
            var f = r.Features[i];
            var field = $"{nameof(r.Features)}[{i}].Name";
            if (CheckColumn(errors, field, "Feature name", f.Name, required: true) && !seen.Add(f.Name.Trim()))
            {
                errors.Add(field, $"Feature '{f.Name}' is listed twice or repeats the label or entity key column.");
            }

            if (!Enum.IsDefined(f.Type))
            {
                errors.Add($"{nameof(r.Features)}[{i}].Type", $"Feature type '{f.Type}' is unknown.");
            }

            var sources = new[] { r.EventTimeColumn, r.EntityKeyColumn }.Concat(r.Features.Where(o => o != f).Select(o => o.Name)).OfType<string>().ToArray();
            if (f.Source is { } source && !sources.Contains(source, StringComparer.Ordinal))
            {
                errors.Add($"{nameof(r.Features)}[{i}].Source",
                    $"A feature is derived from another column of the use case: its event-time column, its entity-key column or another feature ({string.Join(", ", sources)}); '{source}' is none of them.");
            }

            if (f.DateParts is { } parts && (f.Type != FeatureType.DateTime || parts.Count == 0 || parts.Any(p => !Enum.IsDefined(p))))
            {
                errors.Add($"{nameof(r.Features)}[{i}].DateParts", f.Type != FeatureType.DateTime
                    ? $"Date parts apply to date-time features; '{f.Name}' is a {f.Type.ToString().ToLowerInvariant()} feature."
                    : "Give at least one known date part, or leave them out for the defaults.");
            }
        }

        return errors;
    }

    private static bool CheckColumn(ValidationErrors errors, string field, string what, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, $"{what} is required.");
            }

            return false;
        }

        if (!ColumnName().IsMatch(value.Trim()))
        {
            errors.Add(field, $"{what} '{value}' must start with a letter and contain only letters, digits and underscores (max 128).");
            return false;
        }

        return true;
    }

    private static UseCaseSummary ToSummary(UseCase u, int enrolled) => new(
        u.Key, u.Name, u.Description, u.TaskType, u.LabelColumn, u.EntityKeyColumn, u.EventTimeColumn, u.DefaultFeatures, u.IsBuiltIn, enrolled);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,127}$")]
    private static partial Regex ColumnName();
}
