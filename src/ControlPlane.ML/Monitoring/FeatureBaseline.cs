namespace ControlPlane.ML.Monitoring;

/// <summary>
/// A compact summary of one feature's (or the model output's) training distribution, JSON-serializable with System.Text.Json.
/// It is all a later window is compared with, so it keeps bins and frequencies rather than the training rows.
/// </summary>
public sealed record FeatureBaseline
{
    public required string Feature { get; init; }
    public required BaselineKind Kind { get; init; }

    /// <summary>Rows summarized, missing ones included.</summary>
    public long Rows { get; init; }

    /// <summary>Of <see cref="Rows"/>, how many were missing (NaN or ±∞ for numbers, null or blank for categories and text).</summary>
    public long Missing { get; init; }

    /// <summary>
    /// Ascending, distinct upper bin bounds: bin <c>i</c> holds values in <c>(Edges[i-1], Edges[i]]</c>, bin 0 everything
    /// up to <c>Edges[0]</c>. Quantiles of the training values, or the distinct values themselves when there are few.
    /// </summary>
    public IReadOnlyList<double>? Edges { get; init; }

    /// <summary>
    /// Counts per bin, one more than <see cref="Edges"/>: the last bin holds values above the last edge (the training
    /// maximum), so it is 0 in a baseline and is where a later window's values beyond the training range land.
    /// </summary>
    public IReadOnlyList<long>? Counts { get; init; }

    /// <summary>Frequencies of the most frequent categories, most frequent first.</summary>
    public IReadOnlyDictionary<string, long>? Categories { get; init; }

    /// <summary>Rows whose category is not among <see cref="Categories"/>.</summary>
    public long Other { get; init; }

    /// <summary>
    /// The names of the training categories counted in <see cref="Other"/>, kept when there are at most
    /// <see cref="Baselines.MaxOtherNames"/> of them so that drift can tell a rare known category from an unseen one.
    /// Null when there were more (then nothing is counted as unseen).
    /// </summary>
    public IReadOnlyList<string>? OtherNames { get; init; }

    /// <summary>The most frequent training tokens (text), most frequent first.</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>Share of training tokens that are in <see cref="Vocabulary"/>.</summary>
    public double VocabularyCoverage { get; init; }

    /// <summary>
    /// Which rule this column comes from, in words ("feature 'created' (date-time, column created_at): hour of day"), so a
    /// drifting column can be traced to the rule that made it. Null in baselines kept before it was recorded.
    /// </summary>
    public string? Rule { get; init; }

    /// <summary>
    /// A date-time's part: the days of one whole cycle of it (1 for the hour of day, 7 for the day of week, ...). A window
    /// is compared on the part only when it spans at least that many days, and a week at least (decision 0045).
    /// </summary>
    public int? CycleDays { get; init; }
}
