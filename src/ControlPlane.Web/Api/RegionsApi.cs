using ControlPlane.Core.Storage;

namespace ControlPlane.Web.Api;

public static class RegionsApi
{
    public static RouteGroupBuilder MapRegionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/regions", (RegionCatalog regions) => TypedResults.Ok(regions.Regions.Select(r => new { r.Name, r.DisplayName, Store = r.Store.ToString() })))
            .WithTags("Regions").WithName("ListRegions").WithSummary("The configured data-residency regions.").ScopeNeutral();
        return api;
    }
}
