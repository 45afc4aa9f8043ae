using System.Globalization;
using ControlPlane.Core.Registry;

namespace ControlPlane.Web.Components.Models;

/// <summary>
/// A model version as addressed by the UI: a tenant's own version "acme/churn-risk/3", or the pooled version that serves the
/// tenant, "acme/churn-risk/pooled-2" (pooled versions belong to the tenant's use case and region).
/// </summary>
public sealed record VersionKey(string Tenant, string UseCase, int Number, bool Pooled = false)
{
    private const string PooledPrefix = "pooled-";

    public static VersionKey Of(string tenant, string useCase, ModelVersionSummary v) =>
        new(tenant, useCase, v.Number, v.Kind == ModelVersionKinds.Pooled);

    public static VersionKey? Parse(string? text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        var pooled = parts[2].StartsWith(PooledPrefix, StringComparison.Ordinal);
        var number = pooled ? parts[2][PooledPrefix.Length..] : parts[2];
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? new VersionKey(parts[0], parts[1], n, pooled)
            : null;
    }

    /// <summary>"v3" or "pooled v2".</summary>
    public string Short => Pooled ? $"pooled v{Number}" : $"v{Number}";

    public string VersionPath => $"/tenants/{Tenant}/use-cases/{UseCase}/models/{(Pooled ? "pooled/" : "")}{Number}";

    public override string ToString() => $"{Tenant}/{UseCase}/{(Pooled ? PooledPrefix : "")}{Number}";
}

/// <summary>Addresses of the model pages.</summary>
public static class ModelLinks
{
    public static string Models(string tenant, string useCase) => $"/tenants/{tenant}/use-cases/{useCase}/models";

    /// <summary>The enrollment's data page: dataset versions, validation, upload and Retrain.</summary>
    public static string Data(string tenant, string useCase) => $"/tenants/{tenant}/use-cases/{useCase}";

    public static string Rules(string tenant, string useCase) => $"/tenants/{tenant}/use-cases/{useCase}/rules";

    public static string Compare(IEnumerable<VersionKey> keys) =>
        "/models/compare?" + string.Join('&', keys.Select(k => "v=" + Uri.EscapeDataString(k.ToString())));
}
