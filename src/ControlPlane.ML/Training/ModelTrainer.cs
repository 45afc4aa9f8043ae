using System.Diagnostics;
using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Trains one model: split into training, validation and test rows (by time when there are event times, see
/// <see cref="TrainingSplit"/>), search candidates by cross-validation on the training rows within the budget
/// (<see cref="CandidateSearch"/>), judge the choice on the validation rows, report it on the test rows, and serve the
/// same recipe fitted on every labelled row (<see cref="Fit"/>). Every random choice is seeded and every trainer runs on
/// a fixed number of threads, so the same data, rules and settings give bit-identical predictions.
/// </summary>
public static class ModelTrainer
{
    /// <param name="progress">Percent done (0–100) and what is happening, for the run's progress bar.</param>
    /// <exception cref="TrainingException">The data cannot give a model (too few rows, a single class, rules that no longer match): the message says why.</exception>
    /// <param name="rivals">Models the new one is compared with on its validation rows (the report's comparisons).</param>
    public static TrainedModel Train(
        RawTable data, RuleSet effective, TaskType task, TrainingSettings settings,
        Action<double, string>? progress = null, CancellationToken ct = default, IReadOnlyList<Rival>? rivals = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(effective);
        Validate(settings);
        var watch = new TrainingClock();
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = Compile(effective, task, data, ml, settings.Featurization);
        progress?.Invoke(2, "Splitting the rows");
        var split = TrainingSplit.Make(rules, data, settings);
        return Fit(ml, rules, split, settings, progress, ct, watch, rivals);
    }

    /// <summary>Where a compiled feature's value is, with its date parts and its rule in words for drift.</summary>
    internal static FeatureValue FeatureValueOf(CompiledFeature feature)
    {
        var type = feature.Type == FeatureType.DateTime ? "date-time" : feature.Type.ToString().ToLowerInvariant();
        return new FeatureValue(feature.Name, feature.Type, feature.ValueColumn)
        {
            DateParts = feature.Type == FeatureType.DateTime ? feature.DateParts : null,
            Rule = feature.Origin is null ? $"feature '{feature.Name}' ({type})" : $"feature '{feature.Name}' ({type}, {feature.Origin})",
        };
    }

    /// <summary>Compiles the rules for the data's columns; rules that no longer match are a <see cref="TrainingException"/>.</summary>
    internal static CompiledRules Compile(RuleSet effective, TaskType task, RawTable data, MLContext ml, int featurization)
    {
        try
        {
            return RuleCompiler.Compile(effective, task, data.Schema, ml, featurization);
        }
        catch (RuleSetException ex)
        {
            throw new TrainingException($"The feature rules do not match the data: {ex.Message}");
        }
    }

    /// <summary>
    /// Fits, chooses, evaluates and explains on a given split (the pooled model brings its own), decision 0035:
    /// the search cross-validates on the training rows; the chosen candidate fitted on them is judged on the validation
    /// rows — its metrics, the decision threshold, the comparisons with <paramref name="rivals"/>, the leakage checks;
    /// fitted again on training and validation rows it is scored on the test rows, only to report; and the model served
    /// is the same recipe fitted on every labelled row, the newest included.
    /// </summary>
    internal static TrainedModel Fit(MLContext ml, CompiledRules rules, TrainingSplit split, TrainingSettings settings,
        Action<double, string>? progress, CancellationToken ct, TrainingClock watch, IReadOnlyList<Rival>? rivals = null, RawTable? servedRows = null)
    {
        var task = rules.Task;
        progress?.Invoke(5, "Fitting the feature rules on the training rows");
        var onTrain = Featurize(rules, split.Train, split.Validation);
        var train = onTrain.Fit;
        var validation = onTrain.Scored;
        var classes = task == TaskType.Multiclass ? Classes(onTrain.Rules.OutputSchema) : null;
        LabelCheck.Training(train, task, classes);
        LabelCheck.Scored(validation, "validation");
        progress?.Invoke(8, $"Featurized {TrainingSplit.Count(train.Count)} training + {TrainingSplit.Count(validation.Count)} validation rows into {TrainingSplit.Count(train.Width)} slots");

        var (best, candidates, searchNote) = CandidateSearch.Run(ml, train, task, settings, split.Summary.ByTime, progress, ct);
        ct.ThrowIfCancellationRequested();

        progress?.Invoke(60, $"Judging {best.Trainer} on the validation rows");
        var chosen = best.Fit(train, null, task, settings.Seed, settings.Threads);
        var validationScored = chosen.Transform(validation.View());
        var validationRows = ScoredRows.Read(validationScored, task);
        var threshold = task == TaskType.Binary ? Thresholds.BestF1(validationRows) : (double?)null;
        var validationMetrics = ModelEvaluator.Evaluate(ml, validationScored, task, classes, validationRows, threshold, settings.Seed);
        var trainGroups = FeatureGroup.From(onTrain.Rules.Slots);
        var importance = ModelExplainer.Importance(chosen, validation, trainGroups, task, settings.Seed);
        var comparisons = Compare(ml, split, validationRows, rivals ?? [], task, settings, progress, ct);

        ct.ThrowIfCancellationRequested();
        progress?.Invoke(72, $"Fitting {best.Trainer} on training and validation rows to test it");
        var onTrainAndValidation = Featurize(rules, split.TrainAndValidation, split.Test);
        var test = onTrainAndValidation.Scored;
        // Test rows of one class (a tiny tenant with a rare class) leave the test metrics unmeasured (NaN), not the model untrained.
        LabelCheck.Scored(test, "test");
        var leakage = LeakageGuard.Check(train, validation, trainGroups, task, validationRows, importance, split.Summary.ByTime, train.Keys, test.Keys);
        var tested = best.Fit(onTrainAndValidation.Fit, null, task, settings.Seed, settings.Threads);
        var testScored = tested.Transform(test.View());
        var testRows = ScoredRows.Read(testScored, task);
        var metrics = ModelEvaluator.Evaluate(ml, testScored, task, Classes(onTrainAndValidation.Rules.OutputSchema, task), testRows, threshold, settings.Seed);

        ct.ThrowIfCancellationRequested();
        progress?.Invoke(82, $"Fitting {best.Trainer} on all {TrainingSplit.Count(split.Summary.LabelledRows)} labelled rows to serve");
        var all = servedRows ?? split.All;
        var onAll = Featurize(rules, all, split.Test);
        var served = best.Fit(onAll.Fit, null, task, settings.Seed, settings.Threads);
        var servedClasses = Classes(onAll.Rules.OutputSchema, task);
        var fingerprint = ModelEvaluator.Fingerprint(served.Transform(onAll.Scored.View()));
        progress?.Invoke(90, "Explaining rows");
        var groups = FeatureGroup.From(onAll.Rules.Slots);
        var background = Background.Sample(onAll.Fit, settings.Seed);
        var explanations = ModelExplainer.Explain(served, onAll.Scored, groups, task, servedClasses ?? [], background, settings.ExplainedRows);

        // Drift is measured against a reference period: the rows before the test rows (what the tested fit learnt from),
        // cleaned as the served model cleans them, and the tested fit's outputs on the test rows — the first rows after
        // the reference period, which that fit never saw.
        progress?.Invoke(97, "Summarizing the training distributions for drift");
        var values = rules.Features.Select(FeatureValueOf).ToArray();
        var (scores, predictedClasses) = OutputsOf(testScored, task, Classes(onTrainAndValidation.Rules.OutputSchema, task));
        var baselines = Monitoring.ModelBaselines.Compute(onAll.Rules.Transform(split.TrainAndValidation), values, task, scores, predictedClasses);

        var report = new ModelReport
        {
            Task = task,
            Trainer = best.Trainer,
            Hyperparameters = best.Hyperparameters,
            Seed = settings.Seed,
            Candidates = candidates,
            SearchNote = searchNote,
            TestFraction = settings.TestFraction,
            ValidationFraction = settings.ValidationFraction,
            Threads = settings.Threads,
            ExplainedRows = settings.ExplainedRows,
            Featurization = settings.Featurization,
            Split = split.Summary with { TrainRows = train.Count, ValidationRows = validation.Count, TestRows = test.Count },
            Validation = validationMetrics,
            Test = metrics,
            Threshold = threshold,
            Classes = servedClasses,
            Comparisons = comparisons,
            Leakage = leakage,
            Importance = importance,
            Explanations = explanations,
            TrainingDuration = watch.Elapsed,
            TrainingCpu = watch.Cpu,
            PredictionFingerprint = fingerprint,
            Baselines = baselines,
            Calibration = task == TaskType.Binary ? Monitoring.ProbabilityCalibration.Fit(testRows.Scores, testRows.Labels) : null,
        };
        progress?.Invoke(100, $"Trained {best.Trainer}: validation {metrics.Headline} {validationMetrics.HeadlineValue.ToString("0.###", CultureInfo.InvariantCulture)}, test {metrics.HeadlineValue.ToString("0.###", CultureInfo.InvariantCulture)}");
        var chain = new TransformerChain<ITransformer>(onAll.Rules.Transformer, served);
        var holdout = settings.KeepHoldout ? new TransformerChain<ITransformer>(onTrain.Rules.Transformer, chosen) : null;
        return new TrainedModel(ml, chain,
            new ModelInput(rules.RawColumns, rules.IdentifierColumns.ToArray(), rules.Label.KnownColumn, rules.FeatureColumns, groups, values, background), report, holdout);
    }

    /// <summary>
    /// The rules fitted on <paramref name="fit"/>, and both row sets featurized by them; multiclass rows of a class the
    /// fit never saw (key 0) are left out of <paramref name="scored"/>: no model fitted on those rows can predict it.
    /// </summary>
    internal static (FittedRules Rules, FeatureMatrix Fit, FeatureMatrix Scored) Featurize(CompiledRules rules, RawTable fit, RawTable scored)
    {
        var fitted = rules.Fit(fit);
        var fitMatrix = FeatureMatrix.Read(fitted.Transform(fit), rules.Task);
        var scoredMatrix = FeatureMatrix.Read(fitted.Transform(scored), rules.Task);
        if (rules.Task == TaskType.Multiclass)
        {
            scoredMatrix = scoredMatrix.Where(r => scoredMatrix.Labels[r] > 0);
        }

        return (fitted, fitMatrix, scoredMatrix);
    }

    /// <summary>
    /// The new model against each rival, and a pooled rival against each other one, on the validation rows: each rival
    /// fitted again on the training rows (a recipe) or scoring them as it is (a pooled model's holdout fit).
    /// </summary>
    private static IReadOnlyList<ModelComparison> Compare(MLContext ml, TrainingSplit split, ScoredRows own, IReadOnlyList<Rival> rivals,
        TaskType task, TrainingSettings settings, Action<double, string>? progress, CancellationToken ct)
    {
        var metric = ModelEvaluator.Headline(task).Name;
        var scored = new List<(Rival Rival, ScoredRows? Rows, string? Note, bool Failed)>();
        foreach (var rival in rivals)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Invoke(64, $"Scoring {rival.Label} on the same validation rows");
            scored.Add(RivalRows(ml, split, own, rival, task, settings));
        }

        var result = new List<ModelComparison>();
        foreach (var (rival, rows, note, failed) in scored)
        {
            result.Add(Pair(ModelComparison.Own, "this version", own, rival, rows, note, failed, metric, settings.Seed));
        }

        foreach (var (pooled, pooledRows, _, _) in scored.Where(s => s.Rival.Kind == RivalKinds.Pooled && s.Rows is not null))
        {
            foreach (var (rival, rows, note, failed) in scored.Where(s => s.Rival != pooled))
            {
                result.Add(Pair(pooled.Key, pooled.Label, pooledRows!, rival, rows, note, failed, metric, settings.Seed));
            }
        }

        return result;
    }

    private static ModelComparison Pair(string a, string aLabel, ScoredRows aRows, Rival rival, ScoredRows? rows, string? note, bool failed, string metric, int seed)
    {
        var aInterval = Bootstrap.Intervals(aRows, [metric], seed).GetValueOrDefault(metric);
        return rows is null
            ? new ModelComparison(a, aLabel, rival.Key, rival.Label, rival.Kind,
                new PairedDifference(metric, RowMetrics.Value(metric, aRows, default), double.NaN, double.NaN, null, ComparisonVerdict.Unmeasured, aRows.Count), note,
                aInterval, RivalFailed: failed)
            : new ModelComparison(a, aLabel, rival.Key, rival.Label, rival.Kind, Bootstrap.Paired(aRows, rows, metric, seed), note,
                aInterval, Bootstrap.Intervals(rows, [metric], seed).GetValueOrDefault(metric));
    }

    /// <summary>The rival's outputs on the validation rows, or why there are none; its labels must be the new model's (the same rows).</summary>
    private static (Rival, ScoredRows?, string?, bool Failed) RivalRows(MLContext ml, TrainingSplit split, ScoredRows own, Rival rival, TaskType task, TrainingSettings settings)
    {
        ScoredRows rows;
        try
        {
            rows = rival switch
            {
                RecipeRival recipe => Refit(split, recipe, task, settings),
                ScoringRival scoring => scoring.Score(split.Train, split.Validation),
                _ => throw new ArgumentException($"Unknown rival {rival.GetType().Name}.", nameof(rival)),
            };
        }
        catch (Exception ex) when (ex is TrainingException or ArgumentException or InvalidOperationException)
        {
            return (rival, null, $"{rival.Label} could not be scored on these validation rows: {ex.Message}", true);
        }

        if (rows.Count != own.Count || (task != TaskType.Multiclass && rows.Labels.Where((l, i) => l != own.Labels[i]).Any()))
        {
            return (rival, null, $"{rival.Label} reads the label differently ({TrainingSplit.Count(rows.Count)} rows against {TrainingSplit.Count(own.Count)}): not the same rows to compare on.", true);
        }

        return (rival, rows, rival is RecipeRival ? $"{rival.Label}'s recipe fitted again on the same {TrainingSplit.Count(split.Train.RowCount)} training rows" : null, false);
    }

    /// <summary>A version's recipe — its rules, trainer and hyperparameters — fitted on these training rows and scored on the validation rows.</summary>
    private static ScoredRows Refit(TrainingSplit split, RecipeRival recipe, TaskType task, TrainingSettings settings)
    {
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = Compile(recipe.Effective, task, split.Train, ml, recipe.Featurization);
        var (_, fit, scored) = Featurize(rules, split.Train, split.Validation);
        var candidate = TrainerCandidate.Grid(task, [recipe.Trainer], defaultsOnly: false, recipe.Hyperparameters)[0];
        var model = candidate.Fit(fit, null, task, settings.Seed, settings.Threads);
        return ScoredRows.Read(model.Transform(scored.View()), task);
    }

    /// <summary>The model's outputs on scored rows: binary probabilities or regression values, or multiclass predicted classes.</summary>
    internal static (double[] Scores, IReadOnlyList<string?>? Classes) OutputsOf(IDataView scored, TaskType task, IReadOnlyList<string>? classes)
    {
        if (task == TaskType.Multiclass)
        {
            var keys = scored.ReadColumn<uint, uint>(scored.Schema[ModelEvaluator.PredictedLabel], k => k);
            return ([], keys.Select(k => k > 0 && classes is not null && k <= classes.Count ? classes[(int)k - 1] : null).ToArray());
        }

        var column = scored.Schema[task == TaskType.Binary ? ModelEvaluator.Probability : ModelEvaluator.Score];
        return (scored.ReadColumn<float, double>(column, v => v), null);
    }

    private static void Validate(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TestFraction is <= 0 or >= 1 || double.IsNaN(settings.TestFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TestFraction, "The test fraction must be between 0 and 1.");
        }

        if (settings.ValidationFraction is <= 0 or >= 1 || double.IsNaN(settings.ValidationFraction) || settings.TestFraction + settings.ValidationFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ValidationFraction,
                "The validation fraction must be between 0 and 1, and leave training rows beside the test fraction.");
        }

        if (settings.Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Folds, "Cross-validation needs at least 2 folds.");
        }

        if (settings.Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Threads, "Trainers need at least 1 thread.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(settings.ExplainedRows);
    }

    private static IReadOnlyList<string>? Classes(DataViewSchema schema, TaskType task) => task == TaskType.Multiclass ? Classes(schema) : null;

    private static IReadOnlyList<string> Classes(DataViewSchema schema)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        schema[RuleCompiler.LabelColumn].GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}

/// <summary>The data cannot give a model; the message says why in words a tenant's analyst understands.</summary>
public sealed class TrainingException(string message) : Exception(message);
