namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>Where the UI shows monitoring, for alerts and the home matrix to link to.</summary>
public static class MonitoringLinks
{
    public static string Enrollment(string tenant, string useCase) =>
        $"/tenants/{Uri.EscapeDataString(tenant)}/use-cases/{Uri.EscapeDataString(useCase)}/monitoring";

    public static string UseCase(string useCase) => $"/use-cases/{Uri.EscapeDataString(useCase)}/monitoring";
}
