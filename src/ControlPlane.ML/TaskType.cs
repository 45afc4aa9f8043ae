namespace ControlPlane.ML;

public enum TaskType
{
    Binary,
    Multiclass,
    Regression,
}
