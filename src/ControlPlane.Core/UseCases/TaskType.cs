namespace ControlPlane.Core.UseCases;

public enum TaskType
{
    Binary,
    Multiclass,
    Regression,
}
