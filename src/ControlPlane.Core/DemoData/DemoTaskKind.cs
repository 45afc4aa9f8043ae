namespace ControlPlane.Core.DemoData;

public enum DemoTaskKind
{
    BinaryClassification,
    MulticlassClassification,
    Regression,
}
