using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// The split into training, validation and test rows: by event time every part is newer than the one before and rows
/// of one time never straddle a cut; without one, a seeded shuffle stratified by class; unlabelled rows dropped.
/// </summary>
public sealed class TrainingSplitTests
{
    [Fact]
    public async Task By_time_each_part_is_newer_than_the_one_before()
    {
        var demo = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk);
        var split = Split(demo, DemoTraining.Quick);
        var timeColumn = demo.Effective.EventTime!;

        var trainTimes = Times(split.Train, timeColumn);
        var validationTimes = Times(split.Validation, timeColumn);
        var testTimes = Times(split.Test, timeColumn);
        Assert.True(split.Summary.ByTime);
        Assert.True(trainTimes.Max() < validationTimes.Min(), $"newest training row {trainTimes.Max():O}, oldest validation row {validationTimes.Min():O}");
        Assert.True(validationTimes.Max() < testTimes.Min(), $"newest validation row {validationTimes.Max():O}, oldest test row {testTimes.Min():O}");
        Assert.Equal(trainTimes.Max(), split.Summary.TrainUntil);
        Assert.Equal(validationTimes.Min(), split.Summary.ValidationFrom);
        Assert.Equal(testTimes.Min(), split.Summary.TestFrom);
        var total = split.Summary.LabelledRows;
        Assert.InRange(split.Test.RowCount, 0.15 * total, 0.25 * total);
        Assert.InRange(split.Validation.RowCount, 0.15 * total, 0.25 * total);
        Assert.Equal(total, split.AllRows.Count);

        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true });
        Assert.Equal(split.Summary with { Note = null }, model.Report.Split with { Note = null });
    }

    [Fact]
    public async Task Rows_sharing_an_event_time_never_straddle_a_cut()
    {
        // Every ten rows share one snapshot time: a cut at 60 % or 80 % of the rows would fall inside a run of ties.
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 305);
        var timeColumn = demo.Effective.EventTime!;
        var tied = demo.WithColumn(timeColumn, c => RawTableColumn.DateTimes(c.Name,
            Enumerable.Range(0, c.Length).Select(i => (DateTime?)new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i / 10)).ToArray()));

        var split = Split(tied, DemoTraining.Quick);

        var parts = new[] { split.Train, split.Validation, split.Test }.Select(p => Times(p, timeColumn).ToHashSet()).ToArray();
        Assert.True(split.Summary.ByTime);
        Assert.Empty(parts[0].Intersect(parts[1]));
        Assert.Empty(parts[1].Intersect(parts[2]));
        Assert.Empty(parts[0].Intersect(parts[2]));
        Assert.Equal(305, split.Summary.LabelledRows);
    }

    [Fact]
    public async Task Too_few_distinct_event_times_fall_back_to_a_draw_and_say_so()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 200);
        var timeColumn = demo.Effective.EventTime!;
        var one = demo.WithColumn(timeColumn, c => RawTableColumn.DateTimes(c.Name,
            Enumerable.Repeat<DateTime?>(new DateTime(2026, 3, 31, 0, 0, 0, DateTimeKind.Utc), c.Length).ToArray()));

        var split = Split(one, DemoTraining.Quick);

        Assert.False(split.Summary.ByTime);
        Assert.Equal("The labelled rows have 1 distinct event time: too few to split by time, so the parts were drawn at random.", split.Summary.Note);
        Assert.Equal(200, split.Summary.LabelledRows);
    }

    [Fact]
    public async Task Without_an_event_time_the_split_is_a_seeded_shuffle_stratified_by_class()
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
        Assert.Equal(600, first.Summary.LabelledRows);
        Assert.Empty(Keys(first.Train, demo).Intersect(Keys(first.Test, demo)));
        Assert.Empty(Keys(first.Validation, demo).Intersect(Keys(first.Test, demo)));

        // Each part holds the positive class in (about) its share of all rows.
        var all = Positives(demo.Table, demo) / 600.0;
        foreach (var part in new[] { first.Train, first.Validation, first.Test })
        {
            Assert.InRange(Positives(part, demo) / (double)part.RowCount, all - 0.02, all + 0.02);
        }
    }

    [Fact]
    public async Task Rows_without_a_label_are_left_out()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 600);
        var blanked = demo.WithColumn(demo.LabelColumn, c => Blank(c, every: 3));

        var split = Split(blanked, DemoTraining.Quick);

        Assert.Equal(400, split.Summary.LabelledRows);
        Assert.Equal(400, split.Train.RowCount + split.Validation.RowCount + split.Test.RowCount);
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

    /// <summary>Rows whose label is the positive class, as the rules read it.</summary>
    private static int Positives(RawTable table, DemoTraining demo)
    {
        var rules = RuleCompiler.Compile(demo.Effective, demo.Task, table.Schema);
        var view = rules.Fit(table).Transform(table);
        return view.ReadColumn<bool>(RuleCompiler.LabelColumn).Count(l => l);
    }
}
