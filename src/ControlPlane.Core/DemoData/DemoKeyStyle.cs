namespace ControlPlane.Core.DemoData;

internal enum DemoKeyStyle
{
    Prefixed,
    Numeric,
    Guid,
}
