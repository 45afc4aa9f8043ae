using ControlPlane.ML;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>The event-time column must hold date-times: the time-based split, drift windows and freshness depend on it.</summary>
internal static class TimeCheck
{
    public static CheckResult Run(ValidationInput input)
    {
        if (input.Mapped.EventTime is not { } column) return CheckResult.Passed(ValidationCodes.Times, "No event-time column is configured.");
        if (input.Column(column) is not { } profile) return new(ValidationCodes.Times, [], null);

        var roles = input.Mapped.Roles(column);
        if (profile.Type != FeatureType.DateTime)
        {
            var examples = profile.TopValues.Take(3).Select(v => $"'{v.Value}'").ToArray();
            var seen = examples.Length > 0 ? $" (e.g. {string.Join(", ", examples)})" : "";
            return new(ValidationCodes.Times, [new(ValidationCodes.Times, ValidationSeverity.Blocking, column,
                $"Column '{column}' ({roles}) does not hold date-times: it was read as {ColumnChecks.TypeName(profile.Type)}{seen}. " +
                "Times must be ISO-8601, e.g. 2024-03-15 or 2024-03-15T08:00:00Z.") { Examples = examples }], null);
        }

        var issue = ColumnChecks.MisfitIssue(input, profile, roles, ValidationCodes.Times, "are not readable times");
        return issue is null
            ? CheckResult.Passed(ValidationCodes.Times, $"Every value of '{column}' (event time) is a readable time.")
            : new(ValidationCodes.Times, [issue], null);
    }
}
