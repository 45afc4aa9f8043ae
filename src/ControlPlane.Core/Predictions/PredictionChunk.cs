namespace ControlPlane.Core.Predictions;

/// <summary>
/// A run of scored rows in columns (no object per row: batch scoring writes hundreds of thousands a second), numbered
/// from <see cref="FirstRow"/> within their partition.
/// </summary>
public sealed class PredictionChunk(int firstRow, int count)
{
    public int FirstRow { get; } = firstRow;
    public int Count { get; } = count;
    public string?[] EntityKeys { get; } = new string?[count];
    public DateTime[] AsOf { get; } = new DateTime[count];
    public Guid[] ModelVersionIds { get; } = new Guid[count];
    public double[] Scores { get; } = new double[count];
    public string?[] Labels { get; } = new string?[count];

    /// <summary>Multiclass only; null otherwise.</summary>
    public string?[]? ClassScores { get; set; }
}
