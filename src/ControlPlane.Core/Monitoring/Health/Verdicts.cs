namespace ControlPlane.Core.Monitoring.Health;

/// <summary>
/// The one vocabulary of an enrollment's health, worst last: every surface (home matrix, monitoring page, cross-tenant
/// view, API, metrics, alerts) shows one of these words, computed by <see cref="HealthVerdict.Judge"/> alone.
/// </summary>
public static class Verdicts
{
    /// <summary>Nothing judged yet: no check has run, or none had data.</summary>
    public const string NoData = "no_data";

    /// <summary>Every judged aspect is fine.</summary>
    public const string Healthy = "healthy";

    /// <summary>Something to keep an eye on: a drifting window not yet persistent, a decay warning, a model near its maximum age.</summary>
    public const string Watch = "watch";

    /// <summary>The inputs or outputs drift, in the policy's number of windows in a row.</summary>
    public const string Drift = "drift";

    /// <summary>Realized (or estimated) performance fell past the policy's decay line.</summary>
    public const string Decay = "decay";

    /// <summary>The enrollment does not deliver what was promised: an SLA missed, or the model past its maximum age.</summary>
    public const string Failing = "failing";

    /// <summary>Best first.</summary>
    public static IReadOnlyList<string> All { get; } = [Healthy, Watch, Drift, Decay, Failing, NoData];

    /// <summary>How bad: no data 0, healthy 1 … failing 5.</summary>
    public static int Rank(string? verdict) => verdict switch
    {
        Healthy => 1,
        Watch => 2,
        Drift => 3,
        Decay => 4,
        Failing => 5,
        _ => 0,
    };

    /// <summary>The word shown: "Healthy", "Watch", "Drift", "Decay", "Failing", "No data".</summary>
    public static string Word(string? verdict) => verdict switch
    {
        Healthy => "Healthy",
        Watch => "Watch",
        Drift => "Drift",
        Decay => "Decay",
        Failing => "Failing",
        _ => "No data",
    };

    /// <summary>A stored verdict, or no data for null and anything unknown.</summary>
    public static string Of(string? stored) => Rank(stored) == 0 ? NoData : stored!;
}
