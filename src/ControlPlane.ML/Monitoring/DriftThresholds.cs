namespace ControlPlane.ML.Monitoring;

/// <summary>When a feature warns or drifts, and when a whole dataset counts as drifting.</summary>
public sealed record DriftThresholds
{
    /// <summary>PSI at or above this warns (0.1 is the usual "some change" line).</summary>
    public double PsiWarning { get; init; } = 0.1;

    /// <summary>PSI at or above this drifts, when the test confirms it (0.2 is the usual "significant change" line).</summary>
    public double PsiDrift { get; init; } = 0.2;

    /// <summary>KS / chi-square significance a test must reach to confirm drift.</summary>
    public double PValue { get; init; } = 0.01;

    /// <summary>Below this many non-missing rows the tests are skipped with a reason (PSI is still shown).</summary>
    public int MinRows { get; init; } = 100;

    /// <summary>The dataset drifts when at least this share of the judged features drift.</summary>
    public double DatasetDriftShare { get; init; } = 0.05;

    /// <summary>Problems with these thresholds, each naming the field; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(PsiWarning > 0) || double.IsInfinity(PsiWarning))
        {
            problems.Add("psiWarning must be a number greater than 0");
        }

        if (!(PsiDrift > PsiWarning) || double.IsInfinity(PsiDrift))
        {
            problems.Add("psiDrift must be greater than psiWarning");
        }

        if (!(PValue > 0 && PValue < 1))
        {
            problems.Add("pValue must be between 0 and 1 (exclusive)");
        }

        if (MinRows < 1)
        {
            problems.Add("minRows must be at least 1");
        }

        if (!(DatasetDriftShare > 0 && DatasetDriftShare <= 1))
        {
            problems.Add("datasetDriftShare must be greater than 0 and at most 1");
        }

        return problems;
    }
}
