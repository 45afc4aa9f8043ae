using ControlPlane.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPlane.Web.Auth;

/// <summary>The signed-in user's tenant scope, for pages that list across tenants (decision 0044).</summary>
public sealed class CurrentScope(AuthenticationStateProvider auth, TenantAccess access)
{
    /// <summary>The scope; null when the user may see every tenant.</summary>
    public async Task<TenantScope?> GetAsync() => TenantScope.Of((await auth.GetAuthenticationStateAsync()).User);

    /// <summary>The slugs the user may see; null for every tenant.</summary>
    public async Task<IReadOnlyList<string>?> SlugsAsync(CancellationToken ct = default) => await access.SlugsAsync(await GetAsync(), ct);

    public async Task<bool> AllowsAsync(string? tenantSlug, CancellationToken ct = default) => await access.AllowsAsync(await GetAsync(), tenantSlug, ct);
}
