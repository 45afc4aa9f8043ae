using ControlPlane.Core.Common;
using ControlPlane.Core.Storage;

namespace ControlPlane.Core.Tenants;

/// <summary>Checks of an onboarding request that need no database; shared by the API, the wizard and tests.</summary>
public static class TenantValidation
{
    /// <summary>The data files the product reads (CSV, Parquet), for onboarding and dataset versions alike.</summary>
    public static readonly string[] AllowedUploadExtensions = [".csv", ".parquet"];

    public static ValidationErrors Validate(CreateTenantRequest r, RegionCatalog regions)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            errors.Add(nameof(r.Name), "Name is required.");
        }
        else if (r.Name.Trim().Length > 200)
        {
            errors.Add(nameof(r.Name), "Name must be at most 200 characters.");
        }

        if (Slug.Problem(r.Slug) is { } slugProblem)
        {
            errors.Add(nameof(r.Slug), slugProblem);
        }

        if (string.IsNullOrWhiteSpace(r.Region))
        {
            errors.Add(nameof(r.Region), $"Region is required (one of: {string.Join(", ", regions.Regions.Select(x => x.Name))}).");
        }
        else if (!regions.Exists(r.Region))
        {
            errors.Add(nameof(r.Region), $"Region '{r.Region}' is unknown (known regions: {string.Join(", ", regions.Regions.Select(x => x.Name))}).");
        }

        var useCases = r.UseCases ?? [];
        var duplicates = useCases.GroupBy(u => u, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            errors.Add(nameof(r.UseCases), $"Use case '{duplicates[0]}' is listed more than once.");
        }

        return errors;
    }

    public static string? UploadProblem(InitialUpload upload, IReadOnlyCollection<string> enrolledUseCases, long maxBytes)
    {
        var extension = Path.GetExtension(upload.FileName).ToLowerInvariant();
        if (!AllowedUploadExtensions.Contains(extension))
        {
            return $"File '{upload.FileName}' must be a .csv or .parquet file.";
        }

        if (!enrolledUseCases.Contains(upload.UseCase))
        {
            return $"The data file is for use case '{upload.UseCase}', which is not among the use cases to enroll.";
        }

        return upload.Content.CanSeek && upload.Content.Length > maxBytes
            ? $"File '{upload.FileName}' is {upload.Content.Length:N0} bytes; the limit is {maxBytes:N0} bytes."
            : null;
    }
}
