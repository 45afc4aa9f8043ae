using ControlPlane.Core.Monitoring;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>One day's rolling window judged from summarised rows, and the enrollment's decay health chosen from the windows.</summary>
public sealed class DecayWindowsTests
{
    private static readonly DateTime Day = new(2026, 2, 10, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Old = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid New = Guid.Parse("00000000-0000-0000-0000-000000000002");
    private static readonly MonitoringSettings Policy = new() { DecayWindowDays = 3, DecayMinLabels = 4 };

    private static ModelMetrics Test(double accuracy) => new() { Headline = "auc", HeadlineValue = 0.9, HigherIsBetter = true, Accuracy = accuracy, Auc = 0.9 };

    private static ScoredDay Scored(Guid version, int rows, double p)
    {
        var day = new ScoredDay { Cbpe = new CbpeAccumulator() };
        day.Versions[version] = rows;
        day.Rows = rows;
        for (var i = 0; i < rows; i++) day.Cbpe.Add(p, p >= 0.5);
        return day;
    }

    [Fact]
    public void The_window_spans_the_policy_days_is_judged_against_the_majority_version_and_counts_every_labelled_row()
    {
        // Days 8–10 (3 days): the new version scored 30 rows, the old one 5. Labels: 3 right on day 8, 2 wrong on day 10,
        // and day 7 is outside the window. Realized accuracy 3/5 = 0.6 against 0.8 tested: 25 % worse → decay.
        var scored = new Dictionary<DateTime, ScoredDay>
        {
            [Day.AddDays(-3)] = Scored(Old, 100, 0.9),
            [Day.AddDays(-2)] = Scored(Old, 5, 0.9),
            [Day] = Scored(New, 30, 0.9),
        };
        var labelled = new Dictionary<DateTime, List<LabelledRow>>
        {
            [Day.AddDays(-3)] = [new(0.9, "true", "false")],
            [Day.AddDays(-2)] = [new(0.9, "true", "true"), new(0.9, "true", "true"), new(0.2, "false", "false")],
            [Day] = [new(0.9, "true", "false"), new(0.8, "true", "false")],
        };
        var reports = new Dictionary<Guid, ModelMetrics?> { [Old] = Test(0.6), [New] = Test(0.8) };

        var windows = DecayWindows.Judge(TaskType.Binary, Policy, Day, scored, labelled, reports, Day).ToList();

        var realized = windows.Single(w => w.Kind == PerformanceKinds.Realized && w.Metric == "accuracy");
        Assert.Equal(Day.AddDays(-2), realized.WindowStart);
        Assert.Equal(New, realized.ModelVersionId);
        Assert.Equal(5, realized.Rows);
        Assert.Equal(0.6, realized.Value!.Value, 12);
        Assert.Equal(0.8, realized.Expected);
        Assert.Equal("decay", realized.Status);

        // The estimate: 35 rows at p = 0.9 predicted positive → 0.9 expected accuracy, better than tested → ok.
        var estimated = windows.Single(w => w.Kind == PerformanceKinds.Estimated && w.Metric == "accuracy");
        Assert.Equal(35, estimated.Rows);
        Assert.Equal(0.9, estimated.Value!.Value, 12);
        Assert.Equal("ok", estimated.Status);

        // Every estimated probability is equal, so expected AUC is a tie: 0.5; and there is a realized AUC window too.
        Assert.Equal(0.5, windows.Single(w => w.Kind == PerformanceKinds.Estimated && w.Metric == "auc").Value!.Value, 9);
        Assert.Single(windows, w => w.Kind == PerformanceKinds.Realized && w.Metric == "auc");
    }

    [Fact]
    public void Too_few_labels_are_skipped_with_the_reason_and_none_are_no_data()
    {
        var scored = new Dictionary<DateTime, ScoredDay> { [Day] = Scored(New, 10, 0.7) };
        var reports = new Dictionary<Guid, ModelMetrics?> { [New] = Test(0.8) };
        var few = new Dictionary<DateTime, List<LabelledRow>> { [Day] = [new(0.7, "true", "true")] };

        var skipped = DecayWindows.Judge(TaskType.Binary, Policy, Day, scored, few, reports, Day).First(w => w.Kind == PerformanceKinds.Realized);
        var none = DecayWindows.Judge(TaskType.Binary, Policy, Day, scored, new Dictionary<DateTime, List<LabelledRow>>(), reports, Day).First(w => w.Kind == PerformanceKinds.Realized);

        Assert.Equal(("skipped", "1 labelled prediction in the window; at least 4 are needed"), (skipped.Status, skipped.Reason));
        Assert.Null(skipped.Value);
        Assert.Equal("no_data", none.Status);
        Assert.StartsWith("no labels yet", none.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_prefers_the_newest_judged_realized_window_then_the_estimate_then_the_reason()
    {
        PerformanceWindow W(int day, string kind, string status, double? value) => new()
        {
            Day = Day.AddDays(day), Kind = kind, Metric = "accuracy", Status = status, Value = value, Expected = 0.83, HigherIsBetter = true,
            Reason = value is null ? "3 labelled predictions in the window; at least 50 are needed" : null,
        };

        var realized = DecayWindows.Health(TaskType.Binary,
            [W(-1, PerformanceKinds.Realized, "decay", 0.71), W(0, PerformanceKinds.Realized, "skipped", null), W(0, PerformanceKinds.Estimated, "ok", 0.82)], Day);
        Assert.Equal(("decay", "accuracy 0.71 vs 0.83 tested"), (realized.Status, realized.Note));

        var estimated = DecayWindows.Health(TaskType.Binary, [W(0, PerformanceKinds.Realized, "skipped", null), W(0, PerformanceKinds.Estimated, "warning", 0.78)], Day);
        Assert.Equal(("warning", "accuracy 0.78 vs 0.83 tested (estimated, no labels)"), (estimated.Status, estimated.Note));

        var none = DecayWindows.Health(TaskType.Binary, [W(0, PerformanceKinds.Realized, "skipped", null)], Day);
        Assert.Equal(("no_data", "3 labelled predictions in the window; at least 50 are needed"), (none.Status, none.Note));
        Assert.Null(none.Headline);
    }
}
