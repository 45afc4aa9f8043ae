namespace ControlPlane.Core.DemoData;

internal enum DemoValueCasing
{
    Snake,
    Title,
    Upper,
    Kebab,
}
