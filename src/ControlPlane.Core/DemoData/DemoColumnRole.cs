namespace ControlPlane.Core.DemoData;

public enum DemoColumnRole
{
    EntityKey,
    EventTime,
    Label,
    Feature,
}
