namespace ControlPlane.Core.Storage;

/// <summary>Checks store paths so that no caller can escape its prefix ("..", absolute paths, backslashes).</summary>
public static class ArtifactPath
{
    public static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Contains('\\', StringComparison.Ordinal) || path.StartsWith('/') || path.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact path '{path}' must be relative and '/'-separated.", nameof(path));
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"Artifact path '{path}' may not contain '.' or '..' segments.", nameof(path));
        }

        return string.Join('/', segments);
    }

    public static string TenantRoot(string tenantSlug) => $"tenants/{tenantSlug}/";
}
