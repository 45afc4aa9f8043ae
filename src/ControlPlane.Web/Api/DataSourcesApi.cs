using System.Security.Claims;
using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets.Sources;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

public static class DataSourcesApi
{
    public static RouteGroupBuilder MapDataSourcesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/source").WithTags("Data sources");
        group.MapPut("", SetDataSource).WithName("SetDataSource").RequireAuthorization(Policies.Analyze)
            .WithSummary("Set (replace) the enrollment's data source: kind 'sql' (connectionString, query, watermarkColumn) or 'path'.");
        group.MapGet("", GetDataSource).WithName("GetDataSource").WithSummary("The data source, without its connection string.");
        group.MapPost("/pull", PullDataSource).WithName("PullDataSource").RequireAuthorization(Policies.Analyze)
            .WithSummary("Pull new data from the source into the next dataset version.");
        return group;
    }

    public sealed record SetDataSourceRequest(string? Kind, string? ConnectionString, string? Query, string? WatermarkColumn, string? Path);

    public static async Task<IResult> SetDataSource(
        string tenant, string useCase, SetDataSourceRequest body, DataSourceService sources, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = body.Kind switch
        {
            DataSourceKinds.Sql => await sources.SetSqlSourceAsync(
                tenant, useCase, new SqlSourceRequest(body.ConnectionString, body.Query, body.WatermarkColumn), user.Actor(), ct),
            DataSourceKinds.Path => await sources.SetPathSourceAsync(tenant, useCase, body.Path, user.Actor(), ct),
            _ => Result<DataSourceView>.Invalid("Kind", "Kind is 'sql' (a PostgreSQL query) or 'path' (a server file or glob)."),
        };
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> GetDataSource(string tenant, string useCase, DataSourceService sources, CancellationToken ct)
    {
        var result = await sources.GetAsync(tenant, useCase, ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> PullDataSource(
        string tenant, string useCase, DataSourceService sources, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await sources.PullAsync(tenant, useCase, user.Actor(), ct);
        if (!result.IsOk)
        {
            return ApiResults.Problem(result);
        }

        return result.Value!.Created
            ? TypedResults.Created($"/api/v1/tenants/{tenant}/use-cases/{useCase}/datasets/{result.Value.Dataset!.Version.Number}", result.Value)
            : TypedResults.Ok(result.Value);
    }
}
