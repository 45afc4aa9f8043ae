namespace ControlPlane.Core.DemoData;

public enum DemoColumnKind
{
    Identifier,
    Timestamp,
    Number,
    Category,
    Boolean,
    Text,
}
