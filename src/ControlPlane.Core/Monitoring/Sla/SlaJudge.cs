using System.Globalization;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>One SLA's verdict for a day, before it is stored as a <see cref="SlaResult"/>.</summary>
public sealed record SlaVerdict(string Kind, bool Met, double? Measured, double Limit, string Note);

/// <summary>
/// The three SLA rules as pure functions of what was measured. Each returns null when the SLA cannot be judged for the
/// day (switched off, nothing to measure yet, or its deadline not yet passed): an unjudged day counts neither way.
/// </summary>
public static class SlaJudge
{
    /// <summary>The champion's age at <paramref name="asOf"/> against the maximum; not judged without a champion.</summary>
    public static SlaVerdict? ModelAge(int? maxDays, DateTime? championCreatedAt, DateTime asOf)
    {
        if (maxDays is not { } max || championCreatedAt is not { } created)
        {
            return null;
        }

        var age = Math.Max(0, (asOf - created).TotalDays);
        var whole = (int)Math.Floor(age);
        return new SlaVerdict(SlaKinds.ModelAge, age <= max, Math.Round(age, 2), max,
            $"model {whole} day{(whole == 1 ? "" : "s")} old (max {max})");
    }

    /// <summary>
    /// Whether a batch score completed by the deadline (minutes after UTC midnight of the day). Judged only once the
    /// deadline has passed (<paramref name="now"/>); <paramref name="firstCompleted"/> is the day's first completed batch
    /// partition, whenever it finished that day.
    /// </summary>
    public static SlaVerdict? BatchDeadline(int? deadlineMinutes, DateTime dayStart, DateTime? firstCompleted, DateTime now)
    {
        if (deadlineMinutes is not { } deadline || now < dayStart.AddMinutes(deadline))
        {
            return null;
        }

        var at = firstCompleted is { } done ? (done - dayStart).TotalMinutes : (double?)null;
        var met = at is { } minutes && minutes <= deadline;
        var note = at is { } m
            ? $"batch ready at {Hhmm(m)} (deadline {Hhmm(deadline)})"
            : $"no batch score by {Hhmm(deadline)}";
        return new SlaVerdict(SlaKinds.BatchDeadline, met, at is { } x ? Math.Round(x, 1) : null, deadline, note);
    }

    /// <summary>The day's merged p99 against the budget; not judged on a day without predictions.</summary>
    public static SlaVerdict? PredictP99(double? budgetMs, long[] mergedCounts)
    {
        if (budgetMs is not { } budget || LatencyBuckets.Quantile(mergedCounts, 0.99) is not { } p99)
        {
            return null;
        }

        var requests = mergedCounts.Sum().ToString("N0", CultureInfo.InvariantCulture);
        var budgetText = budget.ToString("0.##", CultureInfo.InvariantCulture);
        return double.IsFinite(p99)
            ? new SlaVerdict(SlaKinds.PredictLatency, p99 <= budget, p99,
                budget, $"predict p99 {p99.ToString("0.##", CultureInfo.InvariantCulture)} ms (budget {budgetText} ms) over {requests} requests")
            : new SlaVerdict(SlaKinds.PredictLatency, false, null, budget, $"predict p99 over 10 s (budget {budgetText} ms) over {requests} requests");
    }

    private static string Hhmm(double minutes)
    {
        var m = (int)Math.Floor(minutes);
        return m >= 24 * 60 ? "the next day" : $"{m / 60:00}:{m % 60:00}";
    }
}
