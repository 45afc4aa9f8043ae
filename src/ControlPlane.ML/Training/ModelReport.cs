namespace ControlPlane.ML.Training;

/// <summary>
/// Everything learnt about one trained model that people compare: stored as JSON with the model version and drawn by
/// the comparison UI. Only the members for the model's task type are set.
/// </summary>
public sealed record ModelReport
{
    public required TaskType Task { get; init; }
    public required string Trainer { get; init; }
    public IReadOnlyDictionary<string, string> Hyperparameters { get; init; } = new Dictionary<string, string>();
    public required int Seed { get; init; }

    /// <summary>The search: every candidate tried, with its cross-validated score.</summary>
    public IReadOnlyList<CandidateScore> Candidates { get; init; } = [];

    /// <summary>How the search ended when it did not try every candidate (the time budget), else null.</summary>
    public string? SearchNote { get; init; }

    /// <summary>
    /// The share of rows held out for test, the threads each trainer was given and the test rows explained: with the
    /// seed, trainer and hyperparameters, the settings a reproduction needs besides the data and rules. Reports written
    /// before these were recorded read the defaults in force then.
    /// </summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>The share of rows held out for choices; 0 in reports written before there was a validation part.</summary>
    public double ValidationFraction { get; init; }

    /// <inheritdoc cref="TestFraction"/>
    public int Threads { get; init; } = 1;

    /// <inheritdoc cref="TestFraction"/>
    public int ExplainedRows { get; init; } = 20;

    /// <summary>The featurization the rules were compiled under (<see cref="TrainingSettings.Featurization"/>); 1 in reports written before it was recorded.</summary>
    public int Featurization { get; init; } = 1;

    public required SplitSummary Split { get; init; }

    /// <summary>
    /// The chosen recipe fitted on the training rows, on the validation rows: what every choice was made on. Null in
    /// reports written before there was a validation part.
    /// </summary>
    public ModelMetrics? Validation { get; init; }

    /// <summary>
    /// The recipe fitted on training and validation rows, on the held-out test rows: only reported, never chosen by. The
    /// model served is the same recipe fitted on every labelled row (<see cref="SplitSummary.LabelledRows"/>).
    /// </summary>
    public required ModelMetrics Test { get; init; }

    /// <summary>
    /// Multiclass: the classes of the served model, in its key order (it was fitted on every row, so it may know a class
    /// the tested fit never saw); null for other tasks and in older reports, whose served model is the tested one.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The served model's classes, in its key order.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string>? ServedClasses => Classes ?? Test.Classes;

    /// <summary>Binary: the probability from which a row is predicted positive, chosen on validation (best F1); F1, precision, recall and accuracy are at it.</summary>
    public double? Threshold { get; init; }

    /// <summary>The new model against its rivals (pooled model, champion, recent versions) on the same validation rows.</summary>
    public IReadOnlyList<ModelComparison> Comparisons { get; init; } = [];

    /// <summary>What the leakage checks found on the validation rows; null in reports written before they were made.</summary>
    public LeakageReport? Leakage { get; init; }

    /// <summary>Global permutation feature importance on the validation rows (the test split in older reports), most important first.</summary>
    public IReadOnlyList<FeatureImportance> Importance { get; init; } = [];

    /// <summary>Per-row feature contributions for a sample of test rows.</summary>
    public IReadOnlyList<RowExplanation> Explanations { get; init; } = [];

    public TimeSpan TrainingDuration { get; init; }

    /// <summary>The process's CPU time while training ran (all cores; at most what the training cost); null in reports from before it was measured.</summary>
    public TimeSpan? TrainingCpu { get; init; }

    /// <summary>SHA-256 over the test predictions: equal fingerprints mean identical predictions.</summary>
    public required string PredictionFingerprint { get; init; }

    /// <summary>
    /// The training distribution of each feature's cleaned value and of the model's output on the test split — what
    /// drift is measured against (<see cref="Monitoring.ModelBaselines"/>). Empty in reports written before baselines
    /// were kept: such a version has no drift until it is retrained.
    /// </summary>
    public IReadOnlyList<Monitoring.FeatureBaseline> Baselines { get; init; } = [];

    /// <summary>
    /// Binary models: the test split's map from probability to the positive rate seen, which the label-free performance
    /// estimate reads probabilities through (<see cref="Monitoring.ProbabilityCalibration"/>). Null for other tasks and
    /// in reports written before it was kept (the estimate then trusts the probabilities as they are).
    /// </summary>
    public Monitoring.ProbabilityCalibration? Calibration { get; init; }
}

/// <param name="Metric">The metric the search optimised (e.g. "auc", "macroAccuracy", "rmse").</param>
/// <param name="Score">The mean over the cross-validation folds.</param>
public sealed record CandidateScore(string Trainer, IReadOnlyDictionary<string, string> Hyperparameters, string Metric, double Score, TimeSpan Duration)
{
    /// <summary>The standard error of <see cref="Score"/> over the folds: the chosen candidate is the first within one of the best.</summary>
    public double StandardError { get; init; }
}

/// <param name="ByTime">True when rows were ordered by event time (train oldest, then validation, test newest).</param>
/// <param name="TrainRows">Rows the candidates were fitted on.</param>
/// <param name="TestRows">Rows only reported on.</param>
/// <param name="TrainUntil">With <paramref name="ByTime"/>: the newest event time in training; every validation and test row is later.</param>
/// <param name="TestFrom">With <paramref name="ByTime"/>: the oldest event time in the test rows.</param>
public sealed record SplitSummary(bool ByTime, int TrainRows, int TestRows, DateTime? TrainUntil, DateTime? TestFrom)
{
    /// <summary>Rows every choice was made on; 0 in reports written before there was a validation part.</summary>
    public int ValidationRows { get; init; }

    /// <summary>With <see cref="ByTime"/>: the oldest event time in the validation rows.</summary>
    public DateTime? ValidationFrom { get; init; }

    /// <summary>Why the split is not what the settings ask for (too few distinct event times to split by time), else null.</summary>
    public string? Note { get; init; }

    /// <summary>Every labelled row: what the served model was fitted on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int LabelledRows => TrainRows + ValidationRows + TestRows;
}

public sealed record ModelMetrics
{
    /// <summary>The one number shown in tables and the home matrix: "auc", "macroAccuracy" or "rmse".</summary>
    public required string Headline { get; init; }
    public required double HeadlineValue { get; init; }

    /// <summary>Whether a larger headline value is better (false for RMSE).</summary>
    public required bool HigherIsBetter { get; init; }

    /// <summary>The rows the metrics were measured on.</summary>
    public int Rows { get; init; }

    /// <summary>95 % bootstrap intervals by metric name (<see cref="RowMetrics"/>): the headline's and a few others; empty in older reports.</summary>
    public IReadOnlyDictionary<string, MetricInterval> Intervals { get; init; } = new Dictionary<string, MetricInterval>();

    /// <summary>The headline's 95 % interval, when measured.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public MetricInterval? HeadlineInterval => Intervals.GetValueOrDefault(Headline);

    // Binary
    public double? Auc { get; init; }
    public double? PrAuc { get; init; }
    public double? F1 { get; init; }
    public double? LogLoss { get; init; }
    public double? Accuracy { get; init; }
    public double? Precision { get; init; }
    public double? Recall { get; init; }
    public IReadOnlyList<CurvePoint>? Roc { get; init; }
    public IReadOnlyList<CurvePoint>? PrecisionRecall { get; init; }

    /// <summary>Binary: the reliability diagram — rows in ten bins by predicted probability, each bin's mean prediction against the positive rate seen.</summary>
    public IReadOnlyList<ReliabilityBin>? Reliability { get; init; }

    // Multiclass
    public double? MacroAccuracy { get; init; }
    public double? MicroAccuracy { get; init; }

    /// <summary>Multiclass: the mean over classes of each class's F1.</summary>
    public double? MacroF1 { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Multiclass: precision, recall, F1 and support (rows) of each class, in <see cref="Classes"/> order.</summary>
    public IReadOnlyList<ClassMetrics>? PerClass { get; init; }

    /// <summary>Rows are actual classes, columns predicted, in <see cref="Classes"/> order.</summary>
    public IReadOnlyList<IReadOnlyList<long>>? ConfusionMatrix { get; init; }

    // Regression
    public double? Rmse { get; init; }
    public double? Mae { get; init; }
    public double? RSquared { get; init; }

    /// <summary>A sample of (actual, predicted) pairs for residual plots.</summary>
    public IReadOnlyList<CurvePoint>? Residuals { get; init; }
}

/// <summary>One bin of a reliability diagram: the rows whose predicted probability fell in it.</summary>
public sealed record ReliabilityBin(double MeanPredicted, double ObservedRate, int Rows);

/// <summary>One class of a multiclass model on the scored rows; <see cref="Support"/> is how many rows are of the class.</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);

/// <summary>A point of a curve: ROC (x = false-positive rate, y = true-positive rate), PR (x = recall, y = precision), residuals (x = actual, y = predicted).</summary>
public sealed record CurvePoint(double X, double Y);

/// <param name="Feature">The feature (rule) name; slots of one feature (one-hot, date parts) are summed.</param>
/// <param name="Importance">Drop in the headline metric when the feature is permuted (larger = more important).</param>
public sealed record FeatureImportance(string Feature, double Importance);

/// <param name="EntityKey">The row's entity key, when the rules map one.</param>
/// <param name="Score">The model's output for the row (probability, class or value, as text).</param>
/// <param name="Contributions">Feature → contribution to <see cref="Value"/>, in <see cref="Units"/>, largest magnitude first.</param>
public sealed record RowExplanation(string? EntityKey, string Score, IReadOnlyList<FeatureContribution> Contributions)
{
    /// <summary>What the contributions are measured in (<see cref="ExplanationUnits"/>); null in reports written before it was stated.</summary>
    public string? Units { get; init; }

    /// <summary>The mean explained output over the background training rows: the same for every row of the model.</summary>
    public double? BaseValue { get; init; }

    /// <summary>The explained output of this row (log-odds of its probability, its value, …): <see cref="BaseValue"/> plus the contributions.</summary>
    public double? Value { get; init; }
}

public sealed record FeatureContribution(string Feature, double Value);
