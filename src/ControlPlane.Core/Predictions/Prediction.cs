namespace ControlPlane.Core.Predictions;

/// <summary>
/// One scored row of a <see cref="PredictionPartition"/>: the entity, the time the prediction is as of, the version that
/// scored it and its outputs. Binary: <see cref="Score"/> is the positive class's probability and <see cref="Label"/>
/// "true"/"false"; multiclass: <see cref="Label"/> is the class and <see cref="Score"/> its probability, with every
/// class's in <see cref="ClassScores"/>; regression: <see cref="Score"/> is the value. Kept narrow: millions are written
/// an hour, by COPY on PostgreSQL.
/// </summary>
public sealed class Prediction
{
    public Guid PartitionId { get; set; }

    /// <summary>0, 1, … within the partition.</summary>
    public int Row { get; set; }

    public string? EntityKey { get; set; }
    public DateTime AsOf { get; set; }
    public Guid ModelVersionId { get; set; }
    public double Score { get; set; }
    public string? Label { get; set; }

    /// <summary>Multiclass: JSON object of class → probability; null otherwise.</summary>
    public string? ClassScores { get; set; }
}
