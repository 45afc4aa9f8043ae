using System.Text;
using ControlPlane.ML;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// The validation of one dataset version against the enrollment's effective feature rules at one rules version: a
/// checklist of problems (blocking first) and of the checks that passed. <see cref="Outcome"/> is one of
/// <see cref="ValidationOutcomes"/>.
/// </summary>
public sealed record ValidationReport(
    string Outcome, int DatasetVersion, int RulesVersion, TaskType Task, long Rows, DateTime CheckedAt,
    IReadOnlyList<ValidationIssue> Issues, IReadOnlyList<PassedCheck> Passed)
{
    public bool IsBlocked => Outcome == ValidationOutcomes.Blocked;

    /// <summary>"rules version 3", or the use case's defaults when the tenant has saved no rules (version 0).</summary>
    public string RulesName => RulesVersion == 0 ? "the use case's default rules" : $"rules version {RulesVersion}";

    /// <summary>"rules v3", or "the default rules" for version 0.</summary>
    public static string ShortRulesName(int rulesVersion) => rulesVersion == 0 ? "the default rules" : $"rules v{rulesVersion}";

    public static string OutcomeOf(IReadOnlyList<ValidationIssue> issues) =>
        issues.Any(i => i.Severity == ValidationSeverity.Blocking) ? ValidationOutcomes.Blocked
        : issues.Count > 0 ? ValidationOutcomes.Warnings
        : ValidationOutcomes.Passed;

    /// <summary>The report as plain text, one line per issue, blocking first: the error of a failed <c>validate</c> task.</summary>
    public string ToText()
    {
        var blocking = Issues.Count(i => i.Severity == ValidationSeverity.Blocking);
        var warnings = Issues.Count - blocking;
        var text = new StringBuilder();
        text.Append($"Dataset version {DatasetVersion} ({Rows:N0} rows) checked against {RulesName}: ");
        text.Append(Outcome switch
        {
            ValidationOutcomes.Blocked => $"blocked by {Count(blocking, "problem")}{(warnings > 0 ? $", with {Count(warnings, "warning")}" : "")}.",
            ValidationOutcomes.Warnings => $"passed with {Count(warnings, "warning")}.",
            _ => "passed.",
        });
        foreach (var issue in Issues) text.Append('\n').Append(issue.Severity == ValidationSeverity.Blocking ? "BLOCKING " : "WARNING ").Append(issue.Message);
        return text.ToString();
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}

/// <summary>Blocking problems stop the pipeline and mark the version blocked; warnings are only reported.</summary>
public enum ValidationSeverity
{
    Blocking,
    Warning,
}

/// <summary>One problem found: <see cref="Code"/> names the check (e.g. <c>nulls.rate</c>), <see cref="Column"/> the raw column when there is one.</summary>
public sealed record ValidationIssue(string Code, ValidationSeverity Severity, string? Column, string Message)
{
    /// <summary>Quoted values behind the message, e.g. duplicate keys; empty when the message says it all.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];
}

/// <summary>A check that found nothing to report, kept so the report reads as a checklist.</summary>
public sealed record PassedCheck(string Code, string Message);

/// <summary>The checks' codes, stable for clients and tests.</summary>
public static class ValidationCodes
{
    public const string Rows = "rows.minimum";
    public const string Columns = "columns.missing";
    public const string Label = "label.invalid";
    public const string SmallClass = "label.small-class";
    public const string Nulls = "nulls.rate";
    public const string Types = "types.misfits";
    public const string Duplicates = "keys.duplicate";
    public const string Times = "time.unparseable";
}
