using ControlPlane.Core.Common;
using ControlPlane.ML.Monitoring;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// An enrollment's monitoring policy as the API and the settings form read and write it. Every field has a default, so
/// an enrollment that never saved a policy is monitored with <see cref="Defaults"/>. Field names in validation errors
/// are these properties' camelCase JSON names.
/// </summary>
public sealed record MonitoringSettings
{
    public static MonitoringSettings Defaults { get; } = new();

    // Drift — see DriftThresholds for their meaning.
    public double PsiWarning { get; init; } = 0.1;
    public double PsiDrift { get; init; } = 0.2;
    public double PValue { get; init; } = 0.01;
    public int MinRows { get; init; } = 100;
    /// <summary>
    /// A window drifts when at least this share of its judged features drift (or its predictions do). 0.05: with fewer
    /// than 20 features any one confidently drifting feature is enough — a feature drifts only on a large, significant
    /// change after the features are tested together (decision 0045); raise it to hear only of broad shifts.
    /// </summary>
    public double DatasetDriftShare { get; init; } = 0.05;

    /// <summary>A day with fewer than <see cref="MinRows"/> scored rows is widened back over earlier days, up to this many days in all.</summary>
    public int MaxWindowDays { get; init; } = 30;

    /// <summary>An enrollment's verdict is drift after this many drifting windows in a row; fewer make it watch.</summary>
    public int DriftPersistence { get; init; } = 2;

    // Decay — relative loss against the model's test metric (0.05: 5 % worse).
    public double DecayWarning { get; init; } = 0.05;
    public double DecayAlert { get; init; } = 0.1;

    /// <summary>Realized performance is measured over the labelled predictions of this many days ending on each day.</summary>
    public int DecayWindowDays { get; init; } = 7;

    /// <summary>Below this many labelled rows a window's realized performance is skipped, with the reason shown.</summary>
    public int DecayMinLabels { get; init; } = 50;

    // SLAs — null switches one off.
    public int? MaxModelAgeDays { get; init; } = 30;

    /// <summary>"HH:mm" UTC by which each day's batch score must be written; null: no deadline.</summary>
    public string? BatchDeadlineUtc { get; init; }

    public double? PredictP99BudgetMs { get; init; } = 50;

    // Auto-retrain
    public bool RetrainOnDrift { get; init; }
    public bool RetrainOnDecay { get; init; }
    public int RetrainCooldownHours { get; init; } = 24;

    public DriftThresholds DriftThresholds => new()
    {
        PsiWarning = PsiWarning,
        PsiDrift = PsiDrift,
        PValue = PValue,
        MinRows = MinRows,
        DatasetDriftShare = DatasetDriftShare,
    };

    /// <summary>The batch deadline as minutes after UTC midnight, or null (assumes <see cref="Validate"/> passed).</summary>
    public int? BatchDeadlineMinutes => ParseDeadline(BatchDeadlineUtc);

    /// <summary>Every problem, keyed by the field's JSON name; empty when the policy can be saved.</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (!(PsiWarning > 0) || !double.IsFinite(PsiWarning))
        {
            errors.Add("psiWarning", "psiWarning must be a number greater than 0 (0.1 is usual).");
        }

        if (!(PsiDrift > PsiWarning) || !double.IsFinite(PsiDrift))
        {
            errors.Add("psiDrift", $"psiDrift must be greater than psiWarning ({PsiWarning}); 0.2 is usual.");
        }

        if (!(PValue > 0 && PValue < 1))
        {
            errors.Add("pValue", "pValue must be between 0 and 1, exclusive (0.01 is usual).");
        }

        Range(errors, "minRows", MinRows, 1, 1_000_000);
        if (!(DatasetDriftShare > 0 && DatasetDriftShare <= 1))
        {
            errors.Add("datasetDriftShare", "datasetDriftShare must be greater than 0 and at most 1 (0.05: 5 % of the features, at least one).");
        }

        Range(errors, "maxWindowDays", MaxWindowDays, 1, 90);
        Range(errors, "driftPersistence", DriftPersistence, 1, 30);
        if (!(DecayWarning > 0 && DecayWarning < 1))
        {
            errors.Add("decayWarning", "decayWarning must be a share between 0 and 1 (0.05: 5 % worse than the test metric).");
        }

        if (!(DecayAlert > DecayWarning && DecayAlert < 1))
        {
            errors.Add("decayAlert", $"decayAlert must be greater than decayWarning ({DecayWarning}) and less than 1.");
        }

        Range(errors, "decayWindowDays", DecayWindowDays, 1, 90);
        Range(errors, "decayMinLabels", DecayMinLabels, 1, 1_000_000);
        if (MaxModelAgeDays is { } age)
        {
            Range(errors, "maxModelAgeDays", age, 1, 3650);
        }

        if (BatchDeadlineUtc is not null && ParseDeadline(BatchDeadlineUtc) is null)
        {
            errors.Add("batchDeadlineUtc", $"batchDeadlineUtc must be a UTC time of day as HH:mm, e.g. 06:00; it was '{BatchDeadlineUtc}'.");
        }

        if (PredictP99BudgetMs is { } budget && !(budget > 0 && budget <= 60_000))
        {
            errors.Add("predictP99BudgetMs", "predictP99BudgetMs must be greater than 0 and at most 60000 milliseconds.");
        }

        Range(errors, "retrainCooldownHours", RetrainCooldownHours, 1, 24 * 90);
        return errors;
    }

    public static MonitoringSettings From(EnrollmentMonitoring? row) => row is null ? Defaults : new MonitoringSettings
    {
        PsiWarning = row.PsiWarning,
        PsiDrift = row.PsiDrift,
        PValue = row.PValue,
        MinRows = row.MinRows,
        DatasetDriftShare = row.DatasetDriftShare,
        MaxWindowDays = row.MaxWindowDays,
        DriftPersistence = row.DriftPersistence < 1 ? Defaults.DriftPersistence : row.DriftPersistence,
        DecayWarning = row.DecayWarning,
        DecayAlert = row.DecayAlert,
        DecayWindowDays = row.DecayWindowDays,
        DecayMinLabels = row.DecayMinLabels,
        MaxModelAgeDays = row.MaxModelAgeDays,
        BatchDeadlineUtc = row.BatchDeadlineMinutes is { } m ? $"{m / 60:00}:{m % 60:00}" : null,
        PredictP99BudgetMs = row.PredictP99BudgetMs,
        RetrainOnDrift = row.RetrainOnDrift,
        RetrainOnDecay = row.RetrainOnDecay,
        RetrainCooldownHours = row.RetrainCooldownHours,
    };

    /// <summary>Copies this (validated) policy onto <paramref name="row"/>, leaving its cool-down clock alone.</summary>
    public void CopyTo(EnrollmentMonitoring row)
    {
        row.PsiWarning = PsiWarning;
        row.PsiDrift = PsiDrift;
        row.PValue = PValue;
        row.MinRows = MinRows;
        row.DatasetDriftShare = DatasetDriftShare;
        row.MaxWindowDays = MaxWindowDays;
        row.DriftPersistence = DriftPersistence;
        row.DecayWarning = DecayWarning;
        row.DecayAlert = DecayAlert;
        row.DecayWindowDays = DecayWindowDays;
        row.DecayMinLabels = DecayMinLabels;
        row.MaxModelAgeDays = MaxModelAgeDays;
        row.BatchDeadlineMinutes = BatchDeadlineMinutes;
        row.PredictP99BudgetMs = PredictP99BudgetMs;
        row.RetrainOnDrift = RetrainOnDrift;
        row.RetrainOnDecay = RetrainOnDecay;
        row.RetrainCooldownHours = RetrainCooldownHours;
    }

    private static int? ParseDeadline(string? text) =>
        text is { Length: 5 } && text[2] == ':'
        && int.TryParse(text.AsSpan(0, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h)
        && int.TryParse(text.AsSpan(3, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m)
        && h < 24 && m < 60
            ? (h * 60) + m
            : null;

    private static void Range(ValidationErrors errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(field, $"{field} must be between {min} and {max}; it was {value}.");
        }
    }
}
