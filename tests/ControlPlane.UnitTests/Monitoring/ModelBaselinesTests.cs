using ControlPlane.Core.DemoData;
using ControlPlane.ML.Monitoring;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using ControlPlane.UnitTests.Training;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Training keeps a baseline per feature and for the output; the same rules later measure a window's drift against them.</summary>
public sealed class ModelBaselinesTests
{
    [Fact]
    public async Task A_trained_model_keeps_a_baseline_per_feature_and_for_its_output_through_save_and_load()
    {
        var demo = await DemoTraining.LoadAsync("fabrikam-eu", DemoUseCaseKeys.LeadScoring, maxRows: 1000);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true });

        var features = demo.Effective.Features.Select(f => f.Name).ToArray();
        Assert.Equal([.. features, ModelBaselines.Prediction], model.Report.Baselines.Select(b => b.Feature));
        var prediction = model.Report.Baselines[^1];
        Assert.Equal(BaselineKind.Number, prediction.Kind);
        Assert.Equal(model.Report.Split.TestRows, prediction.Rows);
        Assert.All(model.Report.Baselines, b => Assert.True(b.Rows > 0, b.Feature));

        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        var loaded = TrainedModel.Load(artifact);
        Assert.Equal(ModelReportJson.Write(model.Report), ModelReportJson.Write(loaded.Report));
        Assert.Equal(model.Report.Baselines[0].Counts, loaded.Report.Baselines[0].Counts);
    }

    [Fact]
    public void A_date_time_is_monitored_by_its_calendar_parts_over_windows_that_span_their_cycle_never_by_its_raw_time()
    {
        var ml = new Microsoft.ML.MLContext(1);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(); // a Monday
        Row[] Hourly(int fromHour, int hours, Func<int, bool>? keep = null) =>
            [.. Enumerable.Range(fromHour, hours).Where(h => keep?.Invoke(h) ?? true).Select(h => new Row { N = h % 10, T = start + h * 3600.0 })];
        FeatureValue[] values =
        [
            new("n", ML.FeatureType.Number, "N"),
            new("t", ML.FeatureType.DateTime, "T")
            {
                DateParts = [DatePart.TimeOfDay, DatePart.DayOfWeek, DatePart.Month, DatePart.Year, DatePart.Elapsed],
                Rule = "feature 't' (date-time, column 'opened_at')",
            },
        ];
        var training = Hourly(0, 8 * 7 * 24);
        var scores = training.Select((_, i) => i % 7 / 7.0).ToArray();

        var baselines = ModelBaselines.Compute(ml.Data.LoadFromEnumerable(training), values, ML.TaskType.Regression, scores);

        // The year and the elapsed days are the time axis itself: no baseline; each part names its rule.
        Assert.Equal(["n", "t.timeOfDay", "t.dayOfWeek", "t.month", ModelBaselines.Prediction], baselines.Select(b => b.Feature));
        Assert.Equal("feature 't' (date-time, column 'opened_at'): time of day (hours)", baselines[1].Rule);
        Assert.Equal([null, 1, 7, 366, null], baselines.Select(b => b.CycleDays));

        // Weeks later: one day (too short for any calendar part), a whole week, and a week whose rows all come at night.
        var later = Hourly(20 * 7 * 24, 7 * 24).Concat(Hourly(30 * 7 * 24, 7 * 24, h => h % 24 < 6)).ToArray();
        int[] day = [.. Enumerable.Range(0, 24)], week = [.. Enumerable.Range(0, 7 * 24)], nights = [.. Enumerable.Range(7 * 24, later.Length - 7 * 24)];
        var windowScores = new[] { day, week, nights }.Select(w => w.Select(i => i % 7 / 7.0).ToArray()).ToArray();
        var drift = ModelBaselines.CompareWindows(baselines, ml.Data.LoadFromEnumerable(later), values, new DriftThresholds { MinRows = 20 },
            [day, week, nights], windowScores, spanDays: [1, 7, 7]);

        Assert.Equal(["n", ModelBaselines.Prediction], drift[0].Select(d => d.Feature));
        Assert.Equal(["n", "t.timeOfDay", "t.dayOfWeek", ModelBaselines.Prediction], drift[1].Select(d => d.Feature));
        Assert.All(drift[1], d => Assert.Equal(DriftStatus.Ok, d.Status));
        var nightly = drift[2].Single(d => d.Feature == "t.timeOfDay");
        Assert.Equal(DriftStatus.Drift, nightly.Status);
        Assert.Equal("feature 't' (date-time, column 'opened_at'): time of day (hours)", nightly.Rule);
        Assert.Equal(DriftStatus.Ok, drift[2].Single(d => d.Feature == "t.dayOfWeek").Status);
    }

    [Fact]
    public void A_date_time_recorded_without_its_parts_and_the_raw_baselines_of_older_versions_are_left_out()
    {
        var ml = new Microsoft.ML.MLContext(1);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Row[] Rows(int from) => [.. Enumerable.Range(from, 300).Select(i => new Row { N = i % 10, T = start + (i * 3600.0) })];
        FeatureValue[] values = [new("n", ML.FeatureType.Number, "N"), new("t", ML.FeatureType.DateTime, "T")];
        var scores = Enumerable.Range(0, 300).Select(i => i % 7 / 7.0).ToArray();

        var baselines = ModelBaselines.Compute(ml.Data.LoadFromEnumerable(Rows(0)), values, ML.TaskType.Regression, scores);
        Assert.Equal(["n", ModelBaselines.Prediction], baselines.Select(b => b.Feature));

        var older = baselines.Prepend(Baselines.Number("t", Rows(0).Select(r => r.T).ToArray())).ToArray();
        var drift = ModelBaselines.Compare(older, ml.Data.LoadFromEnumerable(Rows(1000)), values, new DriftThresholds(), scores);
        Assert.Equal(["n", ModelBaselines.Prediction], drift.Select(d => d.Feature));
        Assert.Equal(DriftStatus.Ok, drift[0].Status);
    }

    private sealed class Row
    {
        public float N { get; set; }

        public double T { get; set; }
    }

    [Fact]
    public async Task The_training_rows_do_not_drift_and_a_tripled_column_drifts_first()
    {
        var demo = await DemoTraining.LoadAsync("fabrikam-eu", DemoUseCaseKeys.LeadScoring, maxRows: 2000);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.FastTree], DefaultHyperparametersOnly = true });
        var thresholds = new DriftThresholds();

        var same = model.Drift(demo.Table, thresholds);
        Assert.Equal(model.Report.Baselines.Count, same.Count);
        Assert.All(same.Where(d => d.Feature != ModelBaselines.Prediction), d => Assert.True(d.Status == DriftStatus.Ok, $"{d.Feature}: {d.Status} {d.Reason} (PSI {d.Psi})"));

        // Triple a numeric column a number feature reads (a tenant switching units): that feature drifts, and most.
        var number = demo.Effective.Features.First(f => f.Source is { } s && f.Expression is null && f.Type is null or ML.FeatureType.Number
            && demo.Table.Columns.Single(c => c.Name == s).Values is double?[] && f.Transform != NumberTransform.Bucketize);
        var shifted = new RawTable(demo.Table.Columns.Select(c => c.Name != number.Source ? c
            : RawTableColumn.Numbers(c.Name, ((double?[])c.Values).Select(v => v * 3 + 1).ToArray())).ToArray());

        var drift = model.Drift(shifted, thresholds);
        var worst = drift.Where(d => d.Feature != ModelBaselines.Prediction).OrderByDescending(d => d.Psi ?? 0).First();
        Assert.Equal(number.Name, worst.Feature);
        Assert.Equal(DriftStatus.Drift, worst.Status);
        Assert.Equal(worst.Bins.Count, worst.CurrentShares.Count);
    }

    [Fact]
    public async Task Many_windows_in_one_pass_give_what_drift_gives_on_each_slice()
    {
        var demo = await DemoTraining.LoadAsync("fabrikam-eu", DemoUseCaseKeys.LeadScoring, maxRows: 1200);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true });
        var thresholds = new DriftThresholds { MinRows = 50 };
        int[][] windows = [[.. Enumerable.Range(0, 400)], [.. Enumerable.Range(400, 600)], [.. Enumerable.Range(1000, 30)], []];

        var together = model.DriftWindows(demo.Table, windows, thresholds);

        Assert.Equal(windows.Length, together.Count);
        for (var w = 0; w < windows.Length; w++)
        {
            var alone = model.Drift(RawTableRows.Select(demo.Table, windows[w]), thresholds);
            Assert.Equal(alone.Count, together[w].Count);
            for (var f = 0; f < alone.Count; f++)
            {
                Assert.Equal(alone[f].Feature, together[w][f].Feature);
                Assert.Equal(alone[f].Status, together[w][f].Status);
                Assert.Equal(alone[f].Psi, together[w][f].Psi);
                Assert.Equal(alone[f].CurrentShares, together[w][f].CurrentShares);
            }
        }

        Assert.Equal(DriftStatus.Skipped, together[2][0].Status);
        Assert.All(together[3], d => Assert.Equal(DriftStatus.NoData, d.Status));

        // Given scores (the stored predictions) are what the prediction is judged on.
        var given = model.DriftWindows(demo.Table, windows, thresholds, scores: windows.Select(w => w.Select(_ => 0.99).ToArray()).ToArray());
        Assert.Equal(DriftStatus.Drift, given[1].Single(d => d.Feature == ModelBaselines.Prediction).Status);
    }
}
