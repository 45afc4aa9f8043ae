using ControlPlane.Core.Monitoring;
using MudBlazor;

namespace ControlPlane.Web.Components.Notifications;

/// <summary>One look per severity, shared by the bell and the list.</summary>
public static class SeverityStyle
{
    public static string Icon(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => Icons.Material.Filled.Error,
        AlertSeverity.Warning => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.Info,
    };

    public static Color Color(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => MudBlazor.Color.Error,
        AlertSeverity.Warning => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Info,
    };
}
