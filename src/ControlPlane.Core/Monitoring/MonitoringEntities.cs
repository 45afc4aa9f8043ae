namespace ControlPlane.Core.Monitoring;

/// <summary>
/// An enrollment's monitoring policy: drift thresholds, decay thresholds, SLAs and the auto-retrain policy. An
/// enrollment without a row uses <see cref="MonitoringSettings.Defaults"/>; a saved row always holds a full, validated
/// <see cref="MonitoringSettings"/> (see <see cref="MonitoringSettings.Validate"/>).
/// </summary>
public sealed class EnrollmentMonitoring
{
    public Guid EnrollmentId { get; set; }

    // Drift
    public double PsiWarning { get; set; }
    public double PsiDrift { get; set; }
    public double PValue { get; set; }
    public int MinRows { get; set; }
    public double DatasetDriftShare { get; set; }
    public int MaxWindowDays { get; set; }

    /// <summary>How many drifting windows in a row make the enrollment's verdict drift (fewer: watch).</summary>
    public int DriftPersistence { get; set; }

    // Decay
    public double DecayWarning { get; set; }
    public double DecayAlert { get; set; }
    public int DecayWindowDays { get; set; }
    public int DecayMinLabels { get; set; }

    // SLAs
    public int? MaxModelAgeDays { get; set; }

    /// <summary>Minutes after UTC midnight by which the day's batch score must be written; null: no deadline.</summary>
    public int? BatchDeadlineMinutes { get; set; }

    public double? PredictP99BudgetMs { get; set; }

    // Auto-retrain
    public bool RetrainOnDrift { get; set; }
    public bool RetrainOnDecay { get; set; }
    public int RetrainCooldownHours { get; set; }

    /// <summary>When the policy last started a retrain (the cool-down runs from here).</summary>
    public DateTime? LastAutoRetrainAt { get; set; }

    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>
/// One day of one monitored column of an enrollment's scored rows, counted into the bins of the baseline of the version
/// that scored most of the day (decision 0047): any two periods compare by adding days. Written by every drift check
/// for the days it reads (and on demand for older days); a new count of the same day replaces it.
/// </summary>
public sealed class DriftDayCount
{
    public long Id { get; set; }
    public Guid EnrollmentId { get; set; }

    /// <summary>One of <see cref="Predictions.PredictionSources"/> (batch or realtime).</summary>
    public required string Source { get; set; }

    /// <summary>The day (UTC midnight).</summary>
    public DateTime Day { get; set; }

    /// <summary>The version whose baseline's bins the day was counted into.</summary>
    public Guid ModelVersionId { get; set; }

    public required string Feature { get; set; }

    /// <summary>Rows counted (a uniform sample of the day's rows when it had more than the cap) and of them missing.</summary>
    public long Rows { get; set; }
    public long Missing { get; set; }

    /// <summary>The day's rows before sampling.</summary>
    public int Seen { get; set; }

    /// <summary>The counts per bin as a JSON array of integers.</summary>
    public required string Counts { get; set; }

    public DateTime CheckedAt { get; set; }
}

/// <summary>
/// One drift check of one enrollment's scored data for one day and source: the window's rows (the day, widened back
/// over earlier days up to <see cref="EnrollmentMonitoring.MaxWindowDays"/> when the day alone has too few rows), the
/// version whose baselines it was compared with, and the dataset-level verdict. Its features are
/// <see cref="DriftFeatureResult"/> rows. A new check of the same enrollment, source and day replaces it.
/// </summary>
public sealed class DriftWindow
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }

    /// <summary>One of <see cref="Predictions.PredictionSources"/> (batch or realtime).</summary>
    public required string Source { get; set; }

    /// <summary>The day the window ends on (UTC midnight).</summary>
    public DateTime Day { get; set; }

    /// <summary>The first day the window includes (UTC midnight); equal to <see cref="Day"/> unless it was widened.</summary>
    public DateTime WindowStart { get; set; }

    /// <summary>The window's rows; each feature's result says how many of them it compared (a sample on days over the cap).</summary>
    public int Rows { get; set; }
    public Guid ModelVersionId { get; set; }

    /// <summary>Dataset-level status: ok, warning, drift, skipped, no_data (see <see cref="DriftStatusText"/>).</summary>
    public required string Status { get; set; }

    public int DriftedFeatures { get; set; }
    public int JudgedFeatures { get; set; }

    /// <summary>The prediction's drift status in this window (the model's output compared with its test-split scores).</summary>
    public string? PredictionStatus { get; set; }

    public Guid? RunId { get; set; }
    public DateTime CheckedAt { get; set; }

    public List<DriftFeatureResult> Features { get; set; } = [];
}

/// <summary>One feature's (or the prediction's, named "(prediction)") drift in a <see cref="DriftWindow"/>.</summary>
public sealed class DriftFeatureResult
{
    public long Id { get; set; }
    public Guid WindowId { get; set; }
    public DriftWindow? Window { get; set; }

    /// <summary>Denormalized from the window so trends and cross-tenant views read one table.</summary>
    public Guid EnrollmentId { get; set; }

    public required string Feature { get; set; }

    /// <summary>number, category or text.</summary>
    public required string Kind { get; set; }

    /// <summary>ok, warning, drift, skipped, no_data.</summary>
    public required string Status { get; set; }

    public double? Psi { get; set; }

    /// <summary>"ks" or "chi-square", or null when no test ran.</summary>
    public string? Test { get; set; }

    public double? Statistic { get; set; }
    public double? PValue { get; set; }
    public long Rows { get; set; }
    public long Missing { get; set; }
    public string? Reason { get; set; }

    /// <summary>The histogram judged, as JSON: bins, baseline and current shares, unseen count and examples, out-of-vocabulary share.</summary>
    public string? HistogramJson { get; set; }

    /// <summary>The 90 % interval of <see cref="Psi"/> (corrected for sampling, decision 0045).</summary>
    public double? PsiLow { get; set; }
    public double? PsiHigh { get; set; }

    /// <summary><see cref="PValue"/> adjusted over the window's features tested together (Holm).</summary>
    public double? AdjustedPValue { get; set; }

    /// <summary>The rule this column comes from, in words; null for windows checked before it was recorded.</summary>
    public string? Rule { get; set; }
}

/// <summary>
/// One day's performance of an enrollment's model: realized from feedback labels over the rolling window ending that
/// day, or estimated without labels from calibrated probabilities (binary models), against the model's test metric.
/// </summary>
public sealed class PerformanceWindow
{
    public long Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public DateTime Day { get; set; }
    public DateTime WindowStart { get; set; }
    public Guid ModelVersionId { get; set; }

    /// <summary>"realized" or "estimated" (see <see cref="PerformanceKinds"/>).</summary>
    public required string Kind { get; set; }

    /// <summary>The metric's name as in the model's test metrics (e.g. accuracy, auc, rmse).</summary>
    public required string Metric { get; set; }

    public double? Value { get; set; }

    /// <summary>The model's test-split value of the metric: what the window is compared with.</summary>
    public double Expected { get; set; }

    public bool HigherIsBetter { get; set; }

    /// <summary>Labelled rows (realized) or scored rows (estimated) in the window.</summary>
    public int Rows { get; set; }

    /// <summary>ok, warning, decay, skipped, no_data.</summary>
    public required string Status { get; set; }

    public string? Reason { get; set; }
    public DateTime CheckedAt { get; set; }
}

public static class PerformanceKinds
{
    public const string Realized = "realized";
    public const string Estimated = "estimated";
}

/// <summary>One SLA's verdict for one enrollment and day; a miss is a row with <see cref="Met"/> false.</summary>
public sealed class SlaResult
{
    public long Id { get; set; }
    public Guid EnrollmentId { get; set; }

    /// <summary>One of <see cref="SlaKinds"/>.</summary>
    public required string Kind { get; set; }

    public DateTime Day { get; set; }
    public bool Met { get; set; }

    /// <summary>What was measured (days of model age, minutes after midnight the batch was ready, p99 milliseconds); null when nothing could be.</summary>
    public double? Measured { get; set; }

    public double Limit { get; set; }
    public string? Note { get; set; }
    public DateTime CheckedAt { get; set; }
}

public static class SlaKinds
{
    public const string ModelAge = "model-age";
    public const string BatchDeadline = "batch-deadline";
    public const string PredictLatency = "predict-p99";
}

/// <summary>
/// One node's predict latencies for one enrollment and day as histogram bucket counts (fixed bounds, see the latency
/// recorder). Nodes write their own rows; the p99 SLA merges the buckets of every node.
/// </summary>
public sealed class PredictLatencyDay
{
    public Guid EnrollmentId { get; set; }
    public DateTime Day { get; set; }
    public required string Node { get; set; }
    public long Count { get; set; }

    /// <summary>Comma-separated bucket counts.</summary>
    public required string Buckets { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An enrollment's health as the home matrix colours it, kept current by the checks so the matrix reads one row per
/// cell: each aspect's status and a short figure naming the cause (e.g. "pages_viewed PSI 0.41").
/// </summary>
public sealed class EnrollmentHealth
{
    public Guid EnrollmentId { get; set; }

    /// <summary>ok, watch, drift, no_data (or null: never checked); older rows may say warning (read as watch).</summary>
    public string? Drift { get; set; }
    public string? DriftNote { get; set; }
    public DateTime? DriftDay { get; set; }

    /// <summary>The inputs drifting in the newest window, comma-separated, worst first (null: none) — what fleet-wide shifts are found by.</summary>
    public string? DriftFeatures { get; set; }

    /// <summary>The first window of the current run of changed windows (null when the newest is fine).</summary>
    public DateTime? DriftSince { get; set; }

    /// <summary>ok, warning, decay, no_data (or null).</summary>
    public string? Decay { get; set; }
    public string? DecayNote { get; set; }

    /// <summary>ok or missed (or null).</summary>
    public string? Sla { get; set; }
    public string? SlaNote { get; set; }

    /// <summary>The one health verdict (<see cref="Health.Verdicts"/>) every surface shows, its reason and evidence (JSON), and since when it holds.</summary>
    public string? Verdict { get; set; }
    public string? VerdictReason { get; set; }
    public string? VerdictEvidence { get; set; }
    public DateTime? VerdictSince { get; set; }
    public DateTime? VerdictAt { get; set; }

    /// <summary>The worst verdict alerted in the current episode; cleared when the verdict is healthy again, so an episode alerts once.</summary>
    public string? AlertedVerdict { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>The text a <see cref="ML.Monitoring.DriftStatus"/> is stored and shown as.</summary>
public static class DriftStatusText
{
    public static string Of(ML.Monitoring.DriftStatus status) => status switch
    {
        ML.Monitoring.DriftStatus.Ok => "ok",
        ML.Monitoring.DriftStatus.Warning => "warning",
        ML.Monitoring.DriftStatus.Drift => "drift",
        ML.Monitoring.DriftStatus.Skipped => "skipped",
        _ => "no_data",
    };

    public static ML.Monitoring.DriftStatus Parse(string? text) => text switch
    {
        "ok" => ML.Monitoring.DriftStatus.Ok,
        "warning" => ML.Monitoring.DriftStatus.Warning,
        "drift" => ML.Monitoring.DriftStatus.Drift,
        "skipped" => ML.Monitoring.DriftStatus.Skipped,
        _ => ML.Monitoring.DriftStatus.NoData,
    };
}
