namespace ControlPlane.Core.Common;

/// <summary>Tags that pick the health checks of an endpoint: <c>/health/ready</c> runs those tagged <see cref="Ready"/>.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}
