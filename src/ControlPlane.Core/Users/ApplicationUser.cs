using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Core.Users;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }

    /// <summary>The tenants the user may see (<see cref="Security.TenantScope"/> as JSON); null for every tenant.</summary>
    public string? Scope { get; set; }
}
