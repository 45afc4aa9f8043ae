namespace ControlPlane.Web.Components.Tenants;

/// <summary>What the onboarding wizard collects across its steps.</summary>
public sealed class OnboardModel
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public bool SlugEdited { get; set; }
    public string? Region { get; set; }
    public HashSet<string> UseCases { get; } = new(StringComparer.Ordinal);
}
