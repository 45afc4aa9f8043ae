namespace ControlPlane.Core.UseCases;

public enum FeatureType
{
    Number,
    Category,
    Text,
    Boolean,
    DateTime,
}
