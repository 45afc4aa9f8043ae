namespace ControlPlane.Core.Datasets.Validation;

/// <summary>Runs every check on one dataset version and assembles the report: blocking issues first, then warnings, then what passed.</summary>
public static class DatasetValidator
{
    public static ValidationReport Validate(ValidationInput input, int datasetVersion, int rulesVersion, DateTime checkedAt)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckResult[] results =
        [
            ColumnChecks.MinimumRows(input),
            ColumnChecks.Present(input),
            .. LabelCheck.Run(input),
            KeyCheck.Run(input),
            TimeCheck.Run(input),
            ColumnChecks.NullRates(input),
            ColumnChecks.Misfits(input),
        ];

        var issues = results.SelectMany(r => r.Issues).OrderBy(i => i.Severity).ToArray();
        var passed = results.Where(r => r.Issues.Count == 0 && r.PassMessage is not null).Select(r => new PassedCheck(r.Code, r.PassMessage!)).ToArray();
        return new ValidationReport(
            ValidationReport.OutcomeOf(issues), datasetVersion, rulesVersion, input.Task, input.Profile.RowCount, checkedAt, issues, passed);
    }

    /// <summary>The raw columns whose rows the checks read (key, time, label); the rest is judged from the profile.</summary>
    public static IReadOnlyCollection<string> RowColumns(MappedColumns mapped)
    {
        ArgumentNullException.ThrowIfNull(mapped);
        return new[] { mapped.EntityKey, mapped.EventTime, mapped.LabelSource }.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
    }
}
