using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Core.Users;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }
}
