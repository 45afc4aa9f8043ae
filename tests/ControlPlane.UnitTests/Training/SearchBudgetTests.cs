using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>The search's time budget holds inside a candidate too, and the report says what the budget left out.</summary>
public sealed class SearchBudgetTests
{
    [Fact]
    public async Task With_no_budget_left_nothing_is_cross_validated_and_the_first_default_is_chosen_with_a_note()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 1500);

        var report = demo.Train(DemoTraining.Quick with { TimeBudget = TimeSpan.Zero }).Report;

        Assert.Empty(report.Candidates);
        Assert.Equal(TrainerNames.For(TaskType.Binary)[0], report.Trainer);
        Assert.Equal(TrainerCandidate.Grid(TaskType.Binary, null, false)[0].Hyperparameters, report.Hyperparameters);
        Assert.Equal("Search budget 0 s: 0 of 9 candidates scored; 9 not started. No candidate finished its folds, so the first trainer's default setting was chosen.",
            report.SearchNote);
        Assert.True(double.IsFinite(report.Test.HeadlineValue)); // the model is still trained and evaluated
    }

    [Fact]
    public async Task A_multiclass_search_with_a_short_budget_stops_early_and_every_score_it_keeps_is_from_all_folds()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.TicketRouting);
        var settings = DemoTraining.Quick with { TimeBudget = TimeSpan.FromSeconds(1), Folds = 3 };

        var report = demo.Train(settings).Report;

        Assert.NotNull(report.SearchNote);
        Assert.StartsWith("Search budget 1 s: ", report.SearchNote, StringComparison.Ordinal);
        Assert.True(report.Candidates.Count < TrainerCandidate.Grid(TaskType.Multiclass, null, false).Count);
        // A kept candidate finished every fold: its duration is that of a whole cross-validation, begun within the budget.
        Assert.All(report.Candidates, c => Assert.True(double.IsFinite(c.Score)));
    }

    [Fact]
    public async Task A_full_search_has_no_note_and_the_report_records_the_settings_a_reproduction_needs()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 1500);
        var settings = DemoTraining.Quick with
        {
            TimeBudget = TimeSpan.FromMinutes(2), Trainers = [TrainerNames.LogisticRegression], TestFraction = 0.25, ExplainedRows = 3,
        };

        var report = demo.Train(settings).Report;

        Assert.Null(report.SearchNote);
        Assert.Equal(3, report.Candidates.Count);
        Assert.Equal((0.25, 1, 3), (report.TestFraction, report.Threads, report.ExplainedRows));
        Assert.Equal(3, report.Explanations.Count);
    }
}
