using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Training;

/// <summary>
/// Versions compared on common rows: each version's recipe — its rules, trainer, hyperparameters and featurization —
/// fitted on the same training and validation rows of one data set and scored on the same test rows, so the
/// differences are paired (the same resampled rows for both) and owe nothing to which rows each version happened to be
/// tested on. What the compare page offers when versions were tested on different rows.
/// </summary>
public static class RecipeComparison
{
    /// <param name="recipes">The first is the baseline every other is compared with; its rules make the split.</param>
    /// <exception cref="TrainingException">The data cannot be split or the first recipe cannot be fitted on it.</exception>
    public static CommonHoldout Run(RawTable data, TaskType task, TrainingSettings settings, IReadOnlyList<Recipe> recipes,
        Action<double, string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(recipes);
        if (recipes.Count < 2)
        {
            throw new ArgumentException("Comparing needs at least two recipes.", nameof(recipes));
        }

        var ml = MlContextFactory.Create(settings.Seed);
        var split = TrainingSplit.Make(ModelTrainer.Compile(recipes[0].Effective, task, data, ml, recipes[0].Featurization), data, settings);
        var metric = ModelEvaluator.Headline(task).Name;
        var scored = new List<(Recipe Recipe, ScoredRows? Rows, string? Error)>();
        for (var i = 0; i < recipes.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Invoke(100.0 * i / recipes.Count, $"Fitting {recipes[i].Label}'s recipe on the common rows");
            try
            {
                scored.Add((recipes[i], Fit(split, recipes[i], task, settings), null));
            }
            catch (Exception ex) when (ex is TrainingException or ArgumentException or InvalidOperationException)
            {
                scored.Add((recipes[i], null, ex.Message));
            }
        }

        if (scored[0].Rows is not { } baseline)
        {
            throw new TrainingException($"{recipes[0].Label}'s recipe cannot be fitted on these rows: {scored[0].Error}");
        }

        var outcomes = scored.Select((s, i) =>
        {
            if (s.Rows is not { } rows)
            {
                return new RecipeOutcome(s.Recipe.Label, double.NaN, null, null, s.Error);
            }

            if (rows.Count != baseline.Count)
            {
                return new RecipeOutcome(s.Recipe.Label, double.NaN, null, null, $"{s.Recipe.Label}'s rules read the label of other rows: not the same rows to compare on.");
            }

            var value = RowMetrics.Value(metric, rows, default);
            var interval = Bootstrap.Intervals(rows, [metric], settings.Seed).GetValueOrDefault(metric);
            return new RecipeOutcome(s.Recipe.Label, value, interval, i == 0 ? null : Bootstrap.Paired(rows, baseline, metric, settings.Seed), null);
        }).ToArray();
        progress?.Invoke(100, "Compared");
        return new CommonHoldout(metric, split.Summary, outcomes);
    }

    /// <summary>The recipe fitted on the training and validation rows, scored on the test rows.</summary>
    private static ScoredRows Fit(TrainingSplit split, Recipe recipe, TaskType task, TrainingSettings settings)
    {
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = ModelTrainer.Compile(recipe.Effective, task, split.Train, ml, recipe.Featurization);
        var (_, fit, test) = ModelTrainer.Featurize(rules, split.TrainAndValidation, split.Test);
        var candidate = TrainerCandidate.Grid(task, [recipe.Trainer], defaultsOnly: false, recipe.Hyperparameters)[0];
        var model = candidate.Fit(fit, null, task, settings.Seed, settings.Threads);
        return ScoredRows.Read(model.Transform(test.View()), task);
    }
}

/// <summary>One version's recipe: its effective rules, trainer, hyperparameters and featurization.</summary>
public sealed record Recipe(string Label, RuleSet Effective, string Trainer, IReadOnlyDictionary<string, string> Hyperparameters, int Featurization);

/// <summary>The recipes on common test rows: each one's headline with its interval, and its paired difference from the first.</summary>
public sealed record CommonHoldout(string Metric, SplitSummary Split, IReadOnlyList<RecipeOutcome> Outcomes);

/// <param name="VersusFirst">Null for the first (the baseline) and for a recipe that could not be fitted (<paramref name="Error"/>).</param>
public sealed record RecipeOutcome(string Label, double Value, MetricInterval? Interval, PairedDifference? VersusFirst, string? Error);
