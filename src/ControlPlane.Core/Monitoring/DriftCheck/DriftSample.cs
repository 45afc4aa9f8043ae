using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// What a drift check reads for one source: the scored rows as one raw table in the tenant's column names, and per day
/// (UTC midnight) the rows of that day, the model outputs stored for them and which versions scored them.
/// </summary>
public sealed record DriftSample(RawTable Table, IReadOnlyDictionary<DateTime, DriftDay> Days, DateTime? Newest, string? Note)
{
    public static DriftSample Empty(string note) => new(new RawTable([]), new Dictionary<DateTime, DriftDay>(), null, note);
}

/// <summary>One day of a <see cref="DriftSample"/>: row indices into its table, the stored scores (binary, regression) or labels (multiclass), rows per version.</summary>
public sealed class DriftDay
{
    /// <summary>Row indices compared: all of the day's rows, or a uniform sample of them when the day had more than the cap.</summary>
    public List<int> Rows { get; } = [];

    /// <summary>How many rows the day had before sampling (at least <see cref="Rows"/>' count).</summary>
    public int Seen
    {
        get => Math.Max(field, Rows.Count);
        set;
    }

    public List<double> Scores { get; } = [];
    public List<string?> Labels { get; } = [];
    public Dictionary<Guid, int> Versions { get; } = [];

    public void Scored(Guid versionId, double score, string? label)
    {
        Scores.Add(score);
        Labels.Add(label);
        Versions[versionId] = Versions.GetValueOrDefault(versionId) + 1;
    }
}
