namespace ControlPlane.Core.DemoData;

internal enum DemoTenantSegment
{
    SmallBusiness,
    MidMarket,
    Enterprise,
}
