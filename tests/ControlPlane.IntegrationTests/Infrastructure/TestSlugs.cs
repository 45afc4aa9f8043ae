namespace ControlPlane.IntegrationTests.Infrastructure;

public static class TestSlugs
{
    public static string New(string prefix = "t") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
