using MudBlazor;

namespace ControlPlane.Web.Components.Layout;

public static class ControlPlaneTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Liberation Sans", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
