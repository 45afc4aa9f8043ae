namespace ControlPlane.Core.DemoData;

internal enum DemoCountryStyle
{
    Alpha2,
    Alpha3,
    Name,
}
