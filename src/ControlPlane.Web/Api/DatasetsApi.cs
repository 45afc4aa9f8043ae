using System.Security.Claims;
using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ControlPlane.Web.Api;

public static class DatasetsApi
{
    // Room for the multipart boundaries and part headers around a file of the maximum size.
    private const long MultipartOverheadBytes = 64 * 1024;

    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        var maxBytes = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.Uploads.MaxBytes;
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/datasets").WithTags("Datasets");
        group.MapPost("", UploadDataset).WithName("UploadDataset").RequireAuthorization(Policies.Analyze)
            .WithMetadata(new UploadSizeLimit(maxBytes + MultipartOverheadBytes))
            .WithSummary("Upload a CSV or Parquet file (multipart field 'file') as the next dataset version.");
        group.MapGet("", ListDatasetVersions).WithName("ListDatasetVersions").WithSummary("Versions of the dataset, newest first.");
        group.MapGet("/{number:int}", GetDatasetVersion).WithName("GetDatasetVersion").WithSummary("One version with its schema and profile.");
        return group;
    }

    /// <summary>Streams the file part straight into <see cref="DatasetService"/>: the upload is never buffered whole.</summary>
    public static async Task<IResult> UploadDataset(
        string tenant, string useCase, HttpRequest request, DatasetService datasets, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return NoFile();
        }

        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition()
                    || !HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                {
                    continue;
                }

                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value! : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                var result = await datasets.CreateVersionAsync(tenant, useCase, fileName, section.Body, user.Actor(), ct);
                if (!result.IsOk)
                {
                    return ApiResults.Problem(result);
                }

                return result.Value!.Reused
                    ? TypedResults.Ok(result.Value)
                    : TypedResults.Created($"/api/v1/tenants/{tenant}/use-cases/{useCase}/datasets/{result.Value.Version.Number}", result.Value);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiResults.Problem(Result<CreatedDatasetVersion>.TooLarge("File", ex.Message));
        }
        catch (InvalidDataException ex)
        {
            return ApiResults.Problem(Result<CreatedDatasetVersion>.Invalid("File", $"The multipart body is malformed: {ex.Message}"));
        }

        return NoFile();
    }

    public static async Task<IResult> ListDatasetVersions(string tenant, string useCase, DatasetService datasets, CancellationToken ct)
    {
        var result = await datasets.ListAsync(tenant, useCase, ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> GetDatasetVersion(string tenant, string useCase, int number, DatasetService datasets, CancellationToken ct)
    {
        var result = await datasets.GetAsync(tenant, useCase, number, ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    private static IResult NoFile() => ApiResults.Problem(
        Result<CreatedDatasetVersion>.Invalid("File", "Send the file as multipart/form-data in a field named 'file'."));

    private sealed class UploadSizeLimit(long maxBytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => maxBytes;
    }
}
