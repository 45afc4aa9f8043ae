namespace ControlPlane.ML.Rules;

/// <summary>The first rows of a table through the fitted rules: each raw row beside the feature values it became.</summary>
public sealed record RulePreviewResult(
    IReadOnlyList<string> RawColumns,
    IReadOnlyList<string> Features,
    IReadOnlyList<RulePreviewRow> Rows);

/// <param name="Raw">Raw cells in <see cref="RulePreviewResult.RawColumns"/> order, formatted for display; null is missing.</param>
/// <param name="Features">Feature name → its value(s) formatted for display ("12.5", "industry=retail", "hour=14, dayOfWeek=2").</param>
/// <param name="Label">The label the rules derive, formatted; null when missing.</param>
public sealed record RulePreviewRow(IReadOnlyList<string?> Raw, IReadOnlyDictionary<string, string> Features, string? Label);

public static class RulePreview
{
    // CONTRACT STUB — replaced by the real preview: compile, fit on <paramref name="data"/>, transform its first <paramref name="rows"/> rows.
    public static RulePreviewResult Run(RuleSet effective, TaskType task, RawTable data, int rows) =>
        throw new NotImplementedException("Rule preview is not built yet.");
}
