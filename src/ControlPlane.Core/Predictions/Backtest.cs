namespace ControlPlane.Core.Predictions;

/// <summary>
/// A walk-forward backtest of an enrollment's history (decision 0052): the days from–to cut into periods of
/// <see cref="RetrainEveryDays"/>; each period's rows scored by a model trained only on the rows before the period began.
/// </summary>
public sealed class Backtest
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Guid RunId { get; set; }

    /// <summary>First day (UTC midnight), included.</summary>
    public DateTime From { get; set; }

    /// <summary>Last day (UTC midnight), included.</summary>
    public DateTime To { get; set; }

    public int RetrainEveryDays { get; set; }
    public Guid DatasetVersionId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<BacktestPeriod> Periods { get; set; } = [];
}

/// <summary>One period of a backtest: its model (trained before <see cref="From"/>), the rows it scored and how it did on them.</summary>
public sealed class BacktestPeriod
{
    /// <summary>Also the model id its predictions carry (the model is not registered: it exists for the backtest only).</summary>
    public Guid Id { get; set; }

    public Guid BacktestId { get; set; }
    public int Index { get; set; }

    /// <summary>First and last day, included; the model saw only rows with an event time before <see cref="From"/>.</summary>
    public DateTime From { get; set; }

    public DateTime To { get; set; }

    /// <summary>pending, done, skipped (no model: too few rows before the period, or no row in it).</summary>
    public string State { get; set; } = BacktestStates.Pending;

    public int TrainingRows { get; set; }
    public string? Trainer { get; set; }
    public long ScoredRows { get; set; }

    /// <summary>Scored rows with a label, what the metric is measured on.</summary>
    public long LabelledRows { get; set; }

    public string? Metric { get; set; }
    public double? Value { get; set; }
    public double? Low { get; set; }
    public double? High { get; set; }
    public bool HigherIsBetter { get; set; }
    public string? Note { get; set; }
}

public static class BacktestStates
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Skipped = "skipped";
}

/// <summary>A backtest as the API and the predictions page read it, periods in order.</summary>
public sealed record BacktestView(
    Guid Id, Guid RunId, DateTime From, DateTime To, int RetrainEveryDays, int DatasetVersion, string CreatedBy, DateTime CreatedAt,
    IReadOnlyList<BacktestPeriodView> Periods)
{
    public long ScoredRows => Periods.Sum(p => p.ScoredRows);
}

public sealed record BacktestPeriodView(
    int Index, DateTime From, DateTime To, string State, int TrainingRows, string? Trainer, long ScoredRows, long LabelledRows,
    string? Metric, double? Value, double? Low, double? High, bool HigherIsBetter, string? Note)
{
    public static BacktestPeriodView Of(BacktestPeriod p) => new(
        p.Index, p.From, p.To, p.State, p.TrainingRows, p.Trainer, p.ScoredRows, p.LabelledRows, p.Metric, p.Value, p.Low, p.High, p.HigherIsBetter, p.Note);
}

/// <summary>What a backtest run does: the days, the cadence, and optionally the dataset version (the newest that passed by default).</summary>
public sealed record BacktestRequest(DateOnly From, DateOnly To, int RetrainEveryDays, int? DatasetVersion);
