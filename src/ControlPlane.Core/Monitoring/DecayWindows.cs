using System.Globalization;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using ControlPlane.ML.Training;

namespace ControlPlane.Core.Monitoring;

/// <summary>Turns one day's rolling window of scored and labelled rows into <see cref="PerformanceWindow"/> rows, and the latest of them into the enrollment's decay health.</summary>
internal static class DecayWindows
{
    public static IEnumerable<PerformanceWindow> Judge(
        TaskType task, MonitoringSettings settings, DateTime day, IReadOnlyDictionary<DateTime, ScoredDay> scored,
        IReadOnlyDictionary<DateTime, List<LabelledRow>> labelled, IReadOnlyDictionary<Guid, ModelMetrics?> reports, DateTime now)
    {
        var start = day.AddDays(-(settings.DecayWindowDays - 1));
        var days = Enumerable.Range(0, settings.DecayWindowDays).Select(i => start.AddDays(i)).ToArray();
        var inWindow = days.Select(d => scored.GetValueOrDefault(d)).OfType<ScoredDay>().ToArray();
        var version = inWindow.SelectMany(d => d.Versions).GroupBy(v => v.Key)
            .Select(g => (Id: g.Key, Rows: g.Sum(v => v.Value))).OrderByDescending(v => v.Rows).ThenBy(v => v.Id).First().Id;
        var test = reports.GetValueOrDefault(version);

        PerformanceWindow Window(string kind, string metric, double? value, int rows, int minimum)
        {
            var higher = PerformanceMetrics.HigherIsBetter(metric);
            var expected = test is null ? null : PerformanceMetrics.Expected(test, metric);
            var (status, reason) = Verdict(kind, metric, value, expected, rows, minimum, higher, settings);
            return new PerformanceWindow
            {
                Day = day, WindowStart = start, ModelVersionId = version, Kind = kind, Metric = metric,
                Value = rows >= minimum && value is { } v && double.IsFinite(v) ? v : null,
                Expected = expected is { } e && double.IsFinite(e) ? e : 0, HigherIsBetter = higher,
                Rows = rows, Status = status, Reason = reason, CheckedAt = now,
            };
        }

        var labels = days.SelectMany(d => labelled.GetValueOrDefault(d) ?? []).ToList();
        var realized = labels.Count >= settings.DecayMinLabels ? Realized(task, labels) : [];
        foreach (var metric in PerformanceMetrics.Measured(task))
        {
            yield return Window(PerformanceKinds.Realized, metric, realized.FirstOrDefault(m => m.Name == metric)?.Value, labels.Count, settings.DecayMinLabels);
        }

        if (task != TaskType.Binary) yield break;
        var cbpe = new CbpeAccumulator();
        foreach (var d in inWindow)
        {
            if (d.Cbpe is not null) cbpe.Add(d.Cbpe);
        }

        var rows = (int)cbpe.Rows;
        yield return Window(PerformanceKinds.Estimated, PerformanceMetrics.Accuracy, cbpe.Accuracy, rows, settings.DecayMinLabels);
        yield return Window(PerformanceKinds.Estimated, PerformanceMetrics.Auc, cbpe.Auc, rows, settings.DecayMinLabels);
    }

    /// <summary>
    /// The enrollment's decay from the headline metric: the newest judged realized window (labels are the truth), else
    /// (binary) the estimate on the newest day, else no_data with the reason the newest realized window was not judged.
    /// </summary>
    public static (string Status, string Note, PerformanceWindow? Headline) Health(TaskType task, IReadOnlyList<PerformanceWindow> windows, DateTime end)
    {
        var metric = PerformanceMetrics.Headline(task).Name;
        var headline = windows.Where(w => w.Metric == metric).ToList();
        var realized = headline.Where(w => w.Kind == PerformanceKinds.Realized && Judged(w)).MaxBy(w => w.Day);
        var chosen = realized ?? headline.FirstOrDefault(w => w.Kind == PerformanceKinds.Estimated && w.Day == end && Judged(w));
        if (chosen is null)
        {
            var reason = headline.Where(w => w.Kind == PerformanceKinds.Realized).MaxBy(w => w.Day)?.Reason ?? "no labels yet";
            return ("no_data", reason, null);
        }

        var note = $"{metric} {Format(chosen.Value!.Value)} vs {Format(chosen.Expected)} tested"
            + (chosen.Kind == PerformanceKinds.Estimated ? " (estimated, no labels)" : "");
        return (chosen.Status, note, chosen);
    }

    private static bool Judged(PerformanceWindow w) => w.Status is "ok" or "warning" or "decay" && w.Value is not null;

    private static (string Status, string? Reason) Verdict(
        string kind, string metric, double? value, double? expected, int rows, int minimum, bool higher, MonitoringSettings settings)
    {
        var what = (kind == PerformanceKinds.Realized ? "labelled prediction" : "scored row") + (rows == 1 ? "" : "s");
        if (rows == 0) return ("no_data", kind == PerformanceKinds.Realized ? "no labels yet: no outcome answers a prediction in the window" : "no scored rows in the window");
        if (rows < minimum) return ("skipped", $"{rows} {what} in the window; at least {minimum} are needed");
        if (expected is not { } e || !double.IsFinite(e)) return ("skipped", $"the model's report has no test {metric} to compare with");
        if (value is not { } v || !double.IsFinite(v))
        {
            return ("skipped", metric == PerformanceMetrics.Auc ? "the window holds only one class, so AUC is undefined" : $"{metric} could not be computed");
        }

        return (DecayJudge.Judge(v, e, higher, settings.DecayWarning, settings.DecayAlert) switch
        {
            DecayStatus.Decay => "decay",
            DecayStatus.Warning => "warning",
            _ => "ok",
        }, null);
    }

    private static IReadOnlyList<MetricValue> Realized(TaskType task, List<LabelledRow> rows)
    {
        switch (task)
        {
            case TaskType.Binary:
                return PerformanceMetrics.Binary(rows.Select(r => r.Score).ToArray(),
                    rows.Select(r => r.Predicted is null ? r.Score >= 0.5 : r.Predicted == "true").ToArray(),
                    rows.Select(r => r.Actual == "true").ToArray());
            case TaskType.Multiclass:
                return PerformanceMetrics.Multiclass(rows.Select(r => r.Predicted ?? "").ToArray(), rows.Select(r => r.Actual).ToArray());
            default:
                var numeric = rows.Select(r => (r.Score, Ok: double.TryParse(r.Actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a), Actual: a))
                    .Where(r => r.Ok).ToArray();
                return PerformanceMetrics.Regression(numeric.Select(r => r.Score).ToArray(), numeric.Select(r => r.Actual).ToArray());
        }
    }

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
