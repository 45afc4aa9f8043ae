namespace ControlPlane.ML.Monitoring;

/// <summary>How a feature's training distribution is summarized, and so which drift measures apply to it.</summary>
public enum BaselineKind
{
    Number,
    Category,
    Text,
}
