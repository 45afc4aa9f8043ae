using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>The split: by event time no training row is newer than any test row; without one, a seeded shuffle; unlabelled rows dropped.</summary>
public sealed class TrainingSplitTests
{
    [Fact]
    public async Task By_time_no_training_row_is_newer_than_any_test_row()
    {
        var demo = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk);
        var split = Split(demo, DemoTraining.Quick);
        var timeColumn = demo.Effective.EventTime!;

        var trainTimes = Times(split.Train, timeColumn);
        var testTimes = Times(split.Test, timeColumn);
        Assert.True(split.Summary.ByTime);
        Assert.True(trainTimes.Max() <= testTimes.Min(), $"newest training row {trainTimes.Max():O}, oldest test row {testTimes.Min():O}");
        Assert.Equal(trainTimes.Max(), split.Summary.TrainUntil);
        Assert.Equal(testTimes.Min(), split.Summary.TestFrom);
        Assert.Equal(Math.Round(0.2 * (split.Train.RowCount + split.Test.RowCount)), split.Test.RowCount);

        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true });
        Assert.Equal(split.Summary, model.Report.Split);
    }

    [Fact]
    public async Task Without_an_event_time_the_split_is_a_seeded_shuffle()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 600);
        demo = demo with { Effective = demo.Effective with { EventTime = null } };

        var first = Split(demo, DemoTraining.Quick);
        var again = Split(demo, DemoTraining.Quick);
        var other = Split(demo, DemoTraining.Quick with { Seed = 7 });

        Assert.False(first.Summary.ByTime);
        Assert.Null(first.Summary.TrainUntil);
        Assert.Equal(Keys(first.Test, demo), Keys(again.Test, demo));
        Assert.NotEqual(Keys(first.Test, demo), Keys(other.Test, demo));
        Assert.Equal(600, first.Train.RowCount + first.Test.RowCount);
    }

    [Fact]
    public async Task Rows_without_a_label_are_left_out()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 600);
        var blanked = demo.WithColumn(demo.LabelColumn, c => Blank(c, every: 3));

        var split = Split(blanked, DemoTraining.Quick);

        Assert.Equal(400, split.Train.RowCount + split.Test.RowCount);
    }

    internal static TrainingSplit Split(DemoTraining demo, TrainingSettings settings) =>
        TrainingSplit.Make(RuleCompiler.Compile(demo.Effective, demo.Task, demo.Table.Schema, MlContextFactory.Create(settings.Seed)), demo.Table, settings);

    /// <summary>The table with its label column all blank.</summary>
    internal static RawTable Blanked(RawTable table, string labelColumn) =>
        new(table.Columns.Select(c => c.Name == labelColumn ? Blank(c, every: 1) : c).ToArray());

    /// <summary>Every <paramref name="every"/>-th value blanked (null).</summary>
    internal static RawTableColumn Blank(RawTableColumn column, int every) => column.Values switch
    {
        bool?[] flags => RawTableColumn.Booleans(column.Name, flags.Select((v, i) => i % every == 0 ? null : v).ToArray()),
        double?[] numbers => RawTableColumn.Numbers(column.Name, numbers.Select((v, i) => i % every == 0 ? null : v).ToArray()),
        string?[] texts => RawTableColumn.Strings(column.Name, column.Type, texts.Select((v, i) => i % every == 0 ? null : v).ToArray()),
        _ => throw new ArgumentException(column.Name),
    };

    private static DateTime[] Times(RawTable table, string column) =>
        ((DateTime?[])table.Columns.Single(c => c.Name == column).Values).Select(t => t!.Value).ToArray();

    private static string[] Keys(RawTable table, DemoTraining demo) =>
        table.Columns.Single(c => c.Name == (demo.Effective.EntityKey ?? demo.Dataset.EntityKey.RawName)).Values.Cast<object?>().Select(v => $"{v}").ToArray();
}
