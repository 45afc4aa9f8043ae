using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>
/// An enrollment's model line: versions with lineage and report, promote and rollback by hand (with a reason), the alias
/// history and "which version was live at D". Artifacts stay internal.
/// </summary>
public static class ModelsApi
{
    /// <summary>A report may hold NaN (e.g. an undefined log-loss); it is written as "NaN" rather than failing the response.</summary>
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/models").WithTags("Models");
        group.MapGet("", ListModelVersions).WithName("ListModelVersions")
            .WithSummary("Model versions newest first with their headline metric and aliases, and where each alias points.");
        group.MapGet("/{version:int}", GetModelVersion).WithName("GetModelVersion").WithSummary("One version with its lineage and report.");
        group.MapGet("/pooled/{version:int}", GetPooledModelVersion).WithName("GetPooledModelVersion")
            .WithSummary("A pooled version of the use case in the tenant's region, with the tenants' data it was trained on and its report.");
        group.MapPost("/{version:int}/promote", PromoteModelVersion).WithName("PromoteModelVersion").RequireAuthorization(Policies.Analyze)
            .WithSummary("Point an alias ('champion' or 'challenger') at the version, with a reason; {\"pooled\":true} means the pooled version of that number.");
        group.MapPost("/rollback", RollbackChampion).WithName("RollbackChampion").RequireAuthorization(Policies.Analyze)
            .WithSummary("Put the previous champion back, with a reason.");
        group.MapPost("/compare", CompareOnCommonRows).WithName("CompareOnCommonRows")
            .WithSummary("Own versions compared on common rows: each version's recipe fitted on the same rows of the latest dataset version and scored on the same test rows, with intervals and paired differences from the first ({\"versions\":[3,4]}).");
        group.MapGet("/aliases/history", AliasHistory).WithName("AliasHistory").WithSummary("Every move of the aliases (or of ?alias=), newest first.");
        group.MapGet("/live", LiveAt).WithName("LiveModelVersion")
            .WithSummary("The version the alias (?alias=, default champion) pointed at at ?at= (ISO 8601, UTC).");
        return group;
    }

    public static async Task<IResult> ListModelVersions(string tenant, string useCase, ModelRegistry registry, CancellationToken ct) =>
        ApiResults.Ok(await registry.ListAsync(tenant, useCase, ct), l => l);

    public static async Task<IResult> GetModelVersion(string tenant, string useCase, int version, ModelRegistry registry, CancellationToken ct) =>
        ApiResults.Ok(await registry.GetAsync(tenant, useCase, version, ct), d => JsonSerializer.SerializeToElement(d, ReportJson));

    public static async Task<IResult> GetPooledModelVersion(string tenant, string useCase, int version, ModelRegistry registry, CancellationToken ct) =>
        ApiResults.Ok(await registry.GetPooledForAsync(tenant, useCase, version, ct), d => JsonSerializer.SerializeToElement(d, ReportJson));

    public static async Task<IResult> PromoteModelVersion(
        string tenant, string useCase, int version, PromoteRequest? body, ModelRegistry registry, ClaimsPrincipal user, CancellationToken ct)
    {
        var (alias, reason) = (body?.Alias ?? "", body?.Reason ?? "");
        var result = body?.Pooled == true
            ? await registry.PromotePooledAsync(tenant, useCase, version, alias, user.Actor(), reason, ct)
            : await registry.PromoteAsync(tenant, useCase, version, alias, user.Actor(), reason, ct);
        return ApiResults.Ok(result, c => c);
    }

    public static async Task<IResult> CompareOnCommonRows(
        string tenant, string useCase, CompareRequest? body, CommonRowsComparison comparison, CancellationToken ct) =>
        body?.Versions is not { } versions
            ? ApiResults.Problem(Result<object>.Invalid("versions", "Give the own versions to compare, the first the baseline: {\"versions\":[3,4]}."))
            : ApiResults.Ok(await comparison.CompareAsync(tenant, useCase, versions, ct: ct), r => JsonSerializer.SerializeToElement(r, ReportJson));

    public static async Task<IResult> RollbackChampion(
        string tenant, string useCase, RollbackRequest? body, ModelRegistry registry, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.Ok(await registry.RollbackAsync(tenant, useCase, user.Actor(), body?.Reason ?? "", ct), c => c);

    public static async Task<IResult> AliasHistory(string tenant, string useCase, string? alias, ModelRegistry registry, CancellationToken ct) =>
        alias is not null && !AliasNames.IsKnown(alias)
            ? ApiResults.Problem(Result<object>.Invalid("alias", $"The alias must be '{AliasNames.Champion}' or '{AliasNames.Challenger}', not '{alias}'."))
            : ApiResults.Ok(await registry.HistoryAsync(tenant, useCase, alias, ct), h => h);

    public static async Task<IResult> LiveAt(string tenant, string useCase, string? at, string? alias, ModelRegistry registry, CancellationToken ct)
    {
        if (!DateTime.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var moment))
        {
            return ApiResults.Problem(Result<object>.Invalid("at",
                at is null ? "Give the moment as ?at= (ISO 8601, e.g. 2026-05-01T00:00:00Z)." : $"'{at}' is not a date and time (ISO 8601, e.g. 2026-05-01T00:00:00Z)."));
        }

        return ApiResults.Ok(await registry.LiveAtAsync(tenant, useCase, moment, alias ?? AliasNames.Champion, ct), l => l);
    }

}

/// <param name="Pooled">True: <c>version</c> is a pooled version of the enrollment's use case and region.</param>
public sealed record PromoteRequest(string? Alias, string? Reason, bool? Pooled);

public sealed record RollbackRequest(string? Reason);

/// <param name="Versions">Own version numbers, the first the baseline.</param>
public sealed record CompareRequest(IReadOnlyList<int>? Versions);
