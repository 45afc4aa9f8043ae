using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Storage;

public sealed record RegionInfo(string Name, string DisplayName, ArtifactStoreKind Store, string Location);

/// <summary>The configured regions and one artifact store per region.</summary>
public sealed class RegionCatalog
{
    private readonly Dictionary<string, IArtifactStore> _stores;

    public RegionCatalog(IOptions<ControlPlaneOptions> options, IDbContextFactory<ControlPlaneDbContext> dbFactory, TimeProvider time)
    {
        var o = options.Value;
        var regions = o.Regions.Count > 0 ? o.Regions : DefaultRegions();
        Regions = regions.Select(r => new RegionInfo(
            r.Name,
            string.IsNullOrWhiteSpace(r.DisplayName) ? r.Name : r.DisplayName,
            r.Store,
            r.Store == ArtifactStoreKind.Database ? "database" : Path.GetFullPath(Path.Combine(o.DataDirectory, r.Path ?? $"regions/{r.Name}"))))
            .ToList();
        _stores = Regions.ToDictionary(
            r => r.Name,
            r => r.Store == ArtifactStoreKind.Database
                ? (IArtifactStore)new DatabaseArtifactStore(r.Name, dbFactory, time)
                : new LocalFolderArtifactStore(r.Name, r.Location),
            StringComparer.Ordinal);
    }

    public IReadOnlyList<RegionInfo> Regions { get; }

    public bool Exists(string? region) => region is not null && _stores.ContainsKey(region);

    public IArtifactStore StoreFor(string region) =>
        _stores.TryGetValue(region, out var store)
            ? store
            : throw new InvalidOperationException($"Region '{region}' is not configured (known: {string.Join(", ", _stores.Keys)}).");

    /// <summary>With no regions configured the embedded default has two: us and eu.</summary>
    public static List<RegionOptions> DefaultRegions() =>
    [
        new() { Name = "us", DisplayName = "United States" },
        new() { Name = "eu", DisplayName = "European Union" },
    ];
}
