using ControlPlane.ML.Training;

namespace ControlPlane.Core.Registry;

/// <summary>
/// The pure rule of the promotion gate (decision 0035), read from the new version's report: its comparisons on its
/// validation rows, made while it trained — the candidate (the new version, or the pooled model its own-versus-pooled
/// decision chose) against the champion and against recent versions, each fitted again on the same training rows. A
/// suspected leak never promotes on its own. A candidate worse than the champion beyond noise stays challenger; so does
/// one worse beyond noise than any recent version, so a run of small losses cannot ratchet the line down. Within noise
/// or better, the newer model is promoted.
/// </summary>
public static class PromotionGate
{
    /// <param name="candidateKey"><see cref="ModelComparison.Own"/>, or the pooled version's id when the pool serves.</param>
    /// <param name="championKey">The champion's version id; null when there is no champion.</param>
    public static GateVerdict Decide(ModelReport report, string candidateKey, string candidateLabel, bool candidateIsPooled, string? championKey, string? championLabel)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Leakage is { Suspected: true } leak)
        {
            return new(false, $"Suspected leak, so not promoted automatically: {string.Join(" ", leak.Findings.Select(f => f.Message))} " +
                              "An analyst may promote it by hand with a reason if the feature is known before the outcome.");
        }

        if (championKey is null)
        {
            return !candidateIsPooled && report.Validation is { } validation && double.IsNaN(validation.HeadlineValue)
                ? new(false, $"No champion yet, but {candidateLabel} cannot be measured on its {report.Split.ValidationRows:N0} validation rows " +
                             $"({(double.IsNaN(report.Test.HeadlineValue) ? "nor on its test rows: " : "")}one class among them, or too few): check it and promote it by hand.")
                : new(true, $"No champion yet: {candidateLabel} becomes champion.");
        }

        var versusChampion = report.Comparisons.FirstOrDefault(c => c.A == candidateKey && c.B == championKey);
        if (versusChampion is null)
        {
            return new(false, $"{candidateLabel} was not compared with the champion {championLabel} (the champion changed while it was trained): compare them and promote by hand, or retrain.");
        }

        var figures = PooledDecision.Figures(versusChampion);
        var rows = $"the same {versusChampion.Difference.Rows:N0} validation rows";
        switch (versusChampion.Difference.Verdict)
        {
            case ComparisonVerdict.Worse:
                return new(false, $"Worse than the champion {championLabel} beyond noise on {rows}: {figures}. The version stays challenger.", versusChampion);
            case ComparisonVerdict.Unmeasured when versusChampion.RivalFailed:
                return new(true, $"The champion {championLabel} cannot be fitted on the current data ({versusChampion.Note}); {candidateLabel} replaces it.", versusChampion);
            case ComparisonVerdict.Unmeasured when candidateIsPooled:
                return new(true, $"The difference from the champion {championLabel} cannot be measured on this tenant's validation rows ({versusChampion.Note ?? "too few rows"}); " +
                                 $"{candidateLabel} is promoted on its own validation across its tenants.", versusChampion);
            case ComparisonVerdict.Unmeasured:
                return new(false, $"The difference from the champion {championLabel} cannot be measured ({versusChampion.Note ?? "too few validation rows, or one class"}): compare them and promote by hand.", versusChampion);
        }

        var worseThanRecent = report.Comparisons
            .Where(c => c.A == candidateKey && c.BKind == RivalKinds.Recent && c.Difference.Verdict == ComparisonVerdict.Worse).ToArray();
        if (worseThanRecent.Length > 0)
        {
            var recent = worseThanRecent[0];
            return new(false, $"Not worse than the champion {championLabel} beyond noise ({figures}), but worse than the recent {recent.BLabel} beyond noise on {rows}: " +
                              $"{PooledDecision.Figures(recent)}. A run of small losses stops here; the version stays challenger.", versusChampion);
        }

        var verdict = versusChampion.Difference.Verdict == ComparisonVerdict.Better ? "Better than" : "Within noise of";
        var recents = report.Comparisons.Count(c => c.A == candidateKey && c.BKind == RivalKinds.Recent);
        return new(true, $"{verdict} the champion {championLabel} on {rows}: {figures}" +
                         (recents > 0 ? $"; not worse beyond noise than the {recents} recent version(s) it was compared with." : "."), versusChampion);
    }
}

/// <summary>The gate's answer and why; the comparison with the champion it rests on, when there is one.</summary>
public sealed record GateVerdict(bool Promote, string Reason, ModelComparison? VersusChampion = null);
