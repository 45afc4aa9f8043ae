namespace ControlPlane.ML;

public enum FeatureType
{
    Number,
    Category,
    Text,
    Boolean,
    DateTime,
}
