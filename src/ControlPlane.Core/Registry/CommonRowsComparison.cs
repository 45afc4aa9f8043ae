using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Storage;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Registry;

/// <summary>
/// Versions of one enrollment compared on common rows (<see cref="RecipeComparison"/>): each own version's recipe fitted
/// on the same rows of the enrollment's latest dataset version and scored on the same test rows, each figure
/// with its interval and each difference from the first version paired. What to do when versions were tested on
/// different rows (other data, another split): their stored test metrics do not compare.
/// </summary>
public sealed class CommonRowsComparison(
    IDbContextFactory<ControlPlaneDbContext> dbs, RegionCatalog regions, FeatureRuleService rules, IOptions<ControlPlaneOptions> options)
{
    /// <summary>Versions compared at once at most: each is fitted again.</summary>
    public const int MaxVersions = 6;

    /// <param name="numbers">Own version numbers, the first the baseline.</param>
    /// <param name="progress">Percent and message, for the page's progress bar.</param>
    public async Task<Result<CommonRowsResult>> CompareAsync(string tenant, string useCase, IReadOnlyList<int> numbers,
        Action<double, string>? progress = null, CancellationToken ct = default)
    {
        if (numbers.Count is < 2 or > MaxVersions || numbers.Distinct().Count() != numbers.Count)
        {
            return Result<CommonRowsResult>.Invalid("versions", $"Compare 2 to {MaxVersions} different own versions; got {string.Join(", ", numbers)}.");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Include(e => e.UseCase)
            .FirstOrDefaultAsync(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase, ct);
        if (enrollment is null)
        {
            return Result<CommonRowsResult>.NotFound($"Tenant '{tenant}' is not enrolled in '{useCase}'.");
        }

        var versions = await db.ModelVersions.AsNoTracking()
            .Where(v => v.EnrollmentId == enrollment.Id && numbers.Contains(v.Number)).ToListAsync(ct);
        if (numbers.FirstOrDefault(n => versions.All(v => v.Number != n)) is var missing and > 0)
        {
            return Result<CommonRowsResult>.Invalid("versions", $"'{tenant}' has no version {missing} of its '{useCase}' model.");
        }

        // The newest data, whatever its validation said of the rules of its day: each recipe is fitted with its own rules,
        // and a recipe its rows do not fit says so in its row of the result.
        var dataset = await db.DatasetVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id)
            .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (dataset is null)
        {
            return Result<CommonRowsResult>.Invalid("versions", $"'{tenant}' has no dataset version for '{useCase}': nothing to compare on.");
        }

        var recipes = new List<Recipe>();
        foreach (var number in numbers)
        {
            var version = versions.Single(v => v.Number == number);
            var view = await rules.GetAsync(tenant, useCase, version.RulesVersionNumber ?? 0, ct);
            if (!view.IsOk)
            {
                return Result<CommonRowsResult>.Invalid("versions", $"v{number}'s rules version {version.RulesVersionNumber} cannot be read: {view.Message}");
            }

            var effective = view.Value!.Effective;
            var hyperparameters = JsonSerializer.Deserialize<Dictionary<string, string>>(version.HyperparametersJson) ?? [];
            recipes.Add(new Recipe($"v{number}", effective, version.Trainer, hyperparameters, ModelReportJson.Read(version.ReportJson).Featurization));
        }

        progress?.Invoke(5, $"Reading dataset version {dataset.Number} ({dataset.RowCount:N0} rows)");
        var data = await SnapshotReader.ReadAsync(regions.StoreFor(dataset.Region), dataset.SnapshotPath, maxRows: null, ct);
        try
        {
            var holdout = await Task.Run(() => RecipeComparison.Run(data, enrollment.UseCase!.TaskType, options.Value.Training.ToSettings(), recipes,
                (percent, message) => progress?.Invoke(10 + percent * 0.9, message), ct), ct);
            return Result<CommonRowsResult>.Ok(new CommonRowsResult(dataset.Number, holdout));
        }
        catch (TrainingException ex)
        {
            return Result<CommonRowsResult>.Invalid("versions", ex.Message);
        }
    }
}

/// <summary>The comparison on common rows: which dataset version gave the rows, and each recipe's outcome.</summary>
public sealed record CommonRowsResult(int DatasetVersion, CommonHoldout Holdout);
