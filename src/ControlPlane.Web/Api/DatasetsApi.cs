using System.Security.Claims;
using ControlPlane.Core.Common;
using System.Text;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.ML;
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
    private const long MultipartOverheadBytes = 128 * 1024;

    private const int MaxFieldChars = 64 * 1024;

    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        var maxBytes = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.Uploads.MaxBytes;
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/datasets").WithTags("Datasets");
        group.MapPost("", UploadDataset).WithName("UploadDataset").RequireAuthorization(Policies.Analyze)
            .WithMetadata(new UploadSizeLimit(maxBytes + MultipartOverheadBytes))
            .WithSummary("Upload a CSV or Parquet file (multipart field 'file') as the next dataset version; an optional field 'types' " +
                "before the file sets column types, as a JSON object of column name to type name ({\"Zip Code\":\"category\"}).");
        group.MapGet("", ListDatasetVersions).WithName("ListDatasetVersions").WithSummary("Versions of the dataset, newest first.");
        group.MapGet("/{number:int}", GetDatasetVersion).WithName("GetDatasetVersion").WithSummary("One version with its schema, profile and validation report.");
        group.MapPost("/{number:int}/validate", ValidateDatasetVersion).WithName("ValidateDatasetVersion").RequireAuthorization(Policies.Analyze)
            .WithSummary("Validate the version again against the current feature rules and store the new report.");

        var policy = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/validation-policy").WithTags("Datasets");
        policy.MapGet("", GetValidationPolicy).WithName("GetValidationPolicy")
            .WithSummary("The emptiness limit the enrollment's dataset versions are judged by: its own with the reason, or the server's.");
        policy.MapPut("", SaveValidationPolicy).WithName("SaveValidationPolicy").RequireAuthorization(Policies.Analyze)
            .WithSummary("Set the enrollment's own emptiness limit ({\"nullRateBlocking\": 0.8, \"reason\": \"...\"}; a share, with a reason of at least " +
                "10 characters) or go back to the server's (nullRateBlocking null). The newest dataset version is validated again at once; " +
                "the answer carries its report.");
        return group;
    }

    /// <summary>The body of a validation-policy PUT: a share 0.01–1 and why, or null to use the server's limit again.</summary>
    public sealed record ValidationPolicyRequest(double? NullRateBlocking, string? Reason);

    public static async Task<IResult> GetValidationPolicy(string tenant, string useCase, ValidationPolicyService policies, CancellationToken ct) =>
        ApiResults.Ok(await policies.GetAsync(tenant, useCase, ct), v => v);

    public static async Task<IResult> SaveValidationPolicy(
        string tenant, string useCase, ValidationPolicyRequest? body, ValidationPolicyService policies, ClaimsPrincipal user, CancellationToken ct) =>
        body is null
            ? ApiResults.Problem(Result<ValidationPolicySaved>.Invalid("json", "Send a JSON object: {\"nullRateBlocking\": 0.8, \"reason\": \"why\"}, or nullRateBlocking null for the server's limit."))
            : ApiResults.Ok(await policies.SaveAsync(tenant, useCase, body.NullRateBlocking, body.Reason, user.Actor(), ct), v => v);

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
            IReadOnlyDictionary<string, FeatureType>? types = null;
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                if (section.GetContentDispositionHeader() is not { } disposition)
                {
                    continue;
                }

                if (disposition.IsFormDisposition() && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(ColumnTypeOverrides.Field, StringComparison.Ordinal))
                {
                    var parsed = await ReadFieldAsync(section, ct) is { } json
                        ? ColumnTypeOverrides.Parse(json)
                        : Result<IReadOnlyDictionary<string, FeatureType>>.Invalid(ColumnTypeOverrides.Field, $"The field '{ColumnTypeOverrides.Field}' is longer than {MaxFieldChars:N0} characters.");
                    if (!parsed.IsOk)
                    {
                        return ApiResults.Problem(parsed);
                    }

                    types = parsed.Value;
                    continue;
                }

                if (!disposition.IsFileDisposition() || !HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                {
                    continue;
                }

                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value! : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                var result = await datasets.CreateVersionAsync(tenant, useCase, fileName, section.Body, user.Actor(), DatasetSourceKinds.Upload, types, ct);
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

    public static async Task<IResult> ValidateDatasetVersion(
        string tenant, string useCase, int number, DatasetValidationService validation, CancellationToken ct)
    {
        var result = await validation.ValidateAsync(tenant, useCase, number, ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    /// <summary>A form field's text, read whole (it sits before the file); null when longer than <see cref="MaxFieldChars"/> characters.</summary>
    private static async Task<string?> ReadFieldAsync(MultipartSection section, CancellationToken ct)
    {
        using var text = new StreamReader(section.Body, Encoding.UTF8);
        var buffer = new char[MaxFieldChars + 1];
        var read = await text.ReadBlockAsync(buffer, ct);
        return read > MaxFieldChars ? null : new string(buffer, 0, read);
    }

    private static IResult NoFile() => ApiResults.Problem(
        Result<CreatedDatasetVersion>.Invalid("File", "Send the file as multipart/form-data in a field named 'file'."));

    private sealed class UploadSizeLimit(long maxBytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => maxBytes;
    }
}
