namespace ControlPlane.ML.Monitoring;

/// <summary>
/// One feature's drift in one window. <paramref name="Rows"/> counts the window's rows, <paramref name="Missing"/> those of them
/// missing. <paramref name="Bins"/>, <paramref name="BaselineShares"/> and <paramref name="CurrentShares"/> are the histogram
/// the PSI was computed on, so a chart shows exactly what was judged.
/// </summary>
public sealed record FeatureDrift(
    string Feature, BaselineKind Kind, long Rows, long Missing, double? Psi, string? Test, double? Statistic, double? PValue,
    DriftStatus Status, string? Reason,
    IReadOnlyList<string> Bins, IReadOnlyList<double> BaselineShares, IReadOnlyList<double> CurrentShares)
{
    /// <summary>Categories: rows whose value the training data never had.</summary>
    public long Unseen { get; init; }

    /// <summary>Categories: a few of the unseen values, most frequent first, for the reason and the UI.</summary>
    public IReadOnlyList<string> UnseenExamples { get; init; } = [];

    /// <summary>Text: share of the window's tokens outside the baseline vocabulary (compare with 1 − the training coverage).</summary>
    public double? OutOfVocabulary { get; init; }

    /// <summary>The PSI with its interval (<see cref="Psi"/> is its corrected value); null when nothing was compared.</summary>
    public PsiEstimate? Estimate { get; init; }

    /// <summary>The test's p-value adjusted for the features of the window tested with it (Holm); <see cref="PValue"/> when tested alone.</summary>
    public double? AdjustedPValue { get; init; }

    /// <summary>The rule this monitored column comes from (<see cref="FeatureBaseline.Rule"/>).</summary>
    public string? Rule { get; init; }

    /// <summary>The test this kind of feature gets ("ks", "chi-square"), whether or not it could run.</summary>
    internal string? TestName { get; init; }

    internal string? TestDetail { get; init; }

    /// <summary>Text: the vocabulary's own status, which the feature's status can only be worse than.</summary>
    internal DriftStatus? VocabularyStatus { get; init; }

    /// <summary>Notes kept in the reason whatever the status (unseen categories, the vocabulary).</summary>
    internal IReadOnlyList<string> Notes { get; init; } = [];
}
