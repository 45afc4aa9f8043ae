using ControlPlane.Core.DemoData;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>Data that cannot give a model fails with a <see cref="TrainingException"/> saying why.</summary>
public sealed class TrainingFailureTests
{
    [Fact]
    public async Task Too_few_rows_say_how_many_and_the_minimum()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 20);

        var error = Assert.Throws<TrainingException>(() => demo.Train(DemoTraining.Quick));

        Assert.Contains("Only 20 of the 20 rows", error.Message);
        Assert.Contains($"at least {TrainingSplit.MinimumRows}", error.Message);
    }

    [Fact]
    public async Task A_single_class_names_the_split_and_the_class()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 300);
        var negatives = demo.WithColumn(demo.LabelColumn, Negative);

        var error = Assert.Throws<TrainingException>(() => negatives.Train(DemoTraining.Quick));

        Assert.Contains("All 180 training rows have the label false", error.Message);
        Assert.Contains("two classes", error.Message);
    }

    [Fact]
    public async Task A_single_multiclass_class_is_named()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.TicketRouting, maxRows: 300);
        var oneClass = demo.WithColumn(demo.LabelColumn, c => RawTableColumn.Strings(c.Name, c.Type, Enumerable.Repeat<string?>("refund-desk", c.Length).ToArray()));

        var error = Assert.Throws<TrainingException>(() => oneClass.Train(DemoTraining.Quick));

        Assert.Equal("All 180 training rows have the label 'refund-desk'; a multiclass model needs at least two classes among its training rows.", error.Message);
    }

    [Fact]
    public async Task A_constant_regression_label_is_refused()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ResolutionTime, maxRows: 300);
        var constant = demo.WithColumn(demo.LabelColumn, c => RawTableColumn.Numbers(c.Name, Enumerable.Repeat<double?>(4, c.Length).ToArray()));

        var error = Assert.Throws<TrainingException>(() => constant.Train(DemoTraining.Quick));

        Assert.Contains("in all 180 training rows", error.Message);
        Assert.Contains("varies", error.Message);
    }

    [Fact]
    public async Task Rules_that_no_longer_match_the_data_are_a_training_failure()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 300);
        var stale = demo with { Effective = demo.Effective with { Label = new LabelRule { Source = "no_such_column" } } };

        var error = Assert.Throws<TrainingException>(() => stale.Train(DemoTraining.Quick));

        Assert.Contains("no_such_column", error.Message);
    }

    [Fact]
    public async Task Unknown_trainers_and_hyperparameters_are_refused_by_name()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 300);

        var trainer = Assert.Throws<ArgumentException>(() => demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.Sdca] }));
        var setting = Assert.Throws<ArgumentException>(() => demo.Train(DemoTraining.Quick with
        {
            Trainers = [TrainerNames.FastTree], Hyperparameters = new Dictionary<string, string> { ["depth"] = "4" },
        }));

        Assert.StartsWith("Trainers for a Binary task are lightgbm, fasttree, logistic-regression; got sdca.", trainer.Message);
        Assert.StartsWith("'depth' = '4' is not a fasttree hyperparameter; it takes learningRate, leaves, minLeaf, trees as numbers.", setting.Message);
    }

    [Fact]
    public async Task A_cancelled_training_stops()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 300);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.ThrowsAny<OperationCanceledException>(() => ModelTrainer.Train(demo.Table, demo.Effective, demo.Task, DemoTraining.Quick, ct: cancelled.Token));
    }

    private static RawTableColumn Negative(RawTableColumn column) => column.Values switch
    {
        bool?[] b => RawTableColumn.Booleans(column.Name, b.Select(_ => (bool?)false).ToArray()),
        double?[] d => RawTableColumn.Numbers(column.Name, d.Select(_ => (double?)0).ToArray()),
        string?[] t => RawTableColumn.Strings(column.Name, column.Type, t.Select(_ => (string?)"no").ToArray()),
        _ => throw new ArgumentException(column.Name),
    };
}
