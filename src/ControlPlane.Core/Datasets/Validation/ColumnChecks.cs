using ControlPlane.ML;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>Checks on the mapped columns as the profile sees them: presence, row count, empties and type misfits.</summary>
internal static class ColumnChecks
{
    public static CheckResult MinimumRows(ValidationInput input)
    {
        var (rows, min) = (input.Profile.RowCount, input.Options.MinRows);
        return rows < min
            ? new(ValidationCodes.Rows, [new(ValidationCodes.Rows, ValidationSeverity.Blocking, null,
                $"The dataset has {Figures.Count(rows)} rows; at least {Figures.Count(min)} are needed.")], null)
            : CheckResult.Passed(ValidationCodes.Rows, $"The dataset has {Figures.Count(rows)} rows (at least {Figures.Count(min)} needed).");
    }

    public static CheckResult Present(ValidationInput input)
    {
        var issues = new List<ValidationIssue>();
        foreach (var (column, roles) in input.Mapped.All)
        {
            if (input.Column(column) is not null) continue;
            var near = input.Profile.Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
            var hint = near is null ? "" : $" (there is a column '{near.Name}': names are case-sensitive)";
            issues.Add(new(ValidationCodes.Columns, ValidationSeverity.Blocking, column,
                $"Column '{column}' ({roles}) is not in the dataset{hint}."));
        }
        var count = input.Mapped.All.Count();
        return new(ValidationCodes.Columns, issues, $"All {count} columns the rules read are present.");
    }

    public static CheckResult NullRates(ValidationInput input)
    {
        var (warn, block) = (input.Options.NullRateWarning, input.Options.NullRateBlocking);
        var limit = input.OwnLimitReason is { } reason
            ? $"the {Figures.Percent(block)} limit set for this enrollment ({reason})"
            : $"the {Figures.Percent(block)} limit";
        var issues = new List<ValidationIssue>();
        foreach (var (column, roles) in input.Mapped.All)
        {
            if (input.Column(column) is not { Count: > 0 } profile || profile.NullRate <= warn) continue;
            var over = profile.NullRate > block;
            var imputed = over ? input.Mapped.Imputed(column) : null;
            var empty = $"Column '{column}' ({roles}) is {Figures.Percent(profile.NullRate)} empty";
            issues.Add(new(ValidationCodes.Nulls, over && imputed is null ? ValidationSeverity.Blocking : ValidationSeverity.Warning, column,
                imputed is not null ? $"{empty}, above {limit}, but the rules fill its empty cells ({imputed}): a warning, not a block."
                : over ? $"{empty}, above {limit}."
                  + (roles.StartsWith("feature ", StringComparison.Ordinal) ? " State an imputation for the feature in its rules to train on it anyway." : "")
                : $"{empty}; above {Figures.Percent(warn)} a column warns, above {Figures.Percent(block)} it blocks"
                  + (input.OwnLimitReason is { } why ? $" (the limit set for this enrollment: {why})." : ".")));
        }
        var passed = $"No column the rules read is more than {Figures.Percent(warn)} empty"
            + (input.OwnLimitReason is null ? "." : $"; {limit} blocks.");
        return new(ValidationCodes.Nulls, issues, passed);
    }

    /// <summary>Cells present but not fitting the column's type; the event time has a check of its own.</summary>
    public static CheckResult Misfits(ValidationInput input)
    {
        var issues = new List<ValidationIssue>();
        foreach (var (column, roles) in input.Mapped.All)
        {
            if (column == input.Mapped.EventTime || input.Column(column) is not { } profile) continue;
            if (MisfitIssue(input, profile, roles, ValidationCodes.Types, "do not fit its type") is { } issue) issues.Add(issue);
        }
        return new(ValidationCodes.Types, issues,
            $"Every column the rules read fits its type (at most {Figures.Percent(input.Options.MisfitRateWarning)} of cells do not).");
    }

    internal static ValidationIssue? MisfitIssue(ValidationInput input, Tabular.ColumnProfile profile, string roles, string code, string what)
    {
        var present = profile.Count - profile.Nulls;
        if (profile.Misfits == 0 || present <= 0) return null;
        var share = (double)profile.Misfits / present;
        var (warn, block) = (input.Options.MisfitRateWarning, input.Options.MisfitRateBlocking);
        if (share <= warn && code == ValidationCodes.Types) return null;
        var blocking = share > block;
        var limit = blocking ? $"the limit is {Figures.Percent(block)}" : "those rows lose the value";
        return new(code, blocking ? ValidationSeverity.Blocking : ValidationSeverity.Warning, profile.Name,
            $"{Figures.Count(profile.Misfits)} of {Figures.Count(present)} values ({Figures.Percent(share)}) in column '{profile.Name}' ({roles}) " +
            $"{what} ({TypeName(profile.Type)}); {limit}.");
    }

    internal static string TypeName(FeatureType type) => type switch
    {
        FeatureType.Number => "number",
        FeatureType.Boolean => "boolean",
        FeatureType.DateTime => "date-time",
        FeatureType.Category => "category",
        _ => "text",
    };
}
