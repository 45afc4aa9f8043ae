using Microsoft.AspNetCore.Components.Forms;

namespace ControlPlane.Web.Components.Tenants;

/// <summary>What the onboarding wizard collects across its steps.</summary>
public sealed class OnboardModel
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public bool SlugEdited { get; set; }
    public string? Region { get; set; }
    public HashSet<string> UseCases { get; } = new(StringComparer.Ordinal);
    public IBrowserFile? File { get; set; }

    /// <summary>The chosen file copied to a temporary file on the server, so it outlives the file input's step.</summary>
    public string? StagedPath { get; set; }
    public string? FileUseCase { get; set; }
}
