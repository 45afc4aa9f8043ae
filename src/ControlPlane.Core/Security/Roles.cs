namespace ControlPlane.Core.Security;

/// <summary>The three roles. Admin ⊃ Analyst ⊃ Viewer: every policy admits the roles above it.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Analyst = "Analyst";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Analyst, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Authorization policy names used by pages and API routes.</summary>
public static class Policies
{
    /// <summary>Any signed-in user (Viewer, Analyst, Admin).</summary>
    public const string Read = "read";

    /// <summary>Analysts and admins: rules, retrain, promote, backfill, use cases, enrollments.</summary>
    public const string Analyze = "analyze";

    /// <summary>Admins only: users, tokens, tenants, settings.</summary>
    public const string Administer = "administer";
}
