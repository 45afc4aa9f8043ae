using System.Diagnostics;
using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Trains one model: split (by time when there are event times, see <see cref="TrainingSplit"/>), fit the rules on the
/// training rows only, search candidates by cross-validation within the budget (<see cref="CandidateSearch"/>), fit the
/// best on all training rows, evaluate on the test split, explain. Every random choice is seeded and every trainer runs
/// on a fixed number of threads, so the same data, rules and settings give bit-identical predictions.
/// </summary>
public static class ModelTrainer
{
    /// <param name="progress">Percent done (0–100) and what is happening, for the run's progress bar.</param>
    /// <exception cref="TrainingException">The data cannot give a model (too few rows, a single class, rules that no longer match): the message says why.</exception>
    public static TrainedModel Train(
        RawTable data, RuleSet effective, TaskType task, TrainingSettings settings,
        Action<double, string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(effective);
        Validate(settings);
        var watch = Stopwatch.StartNew();
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = Compile(effective, task, data, ml);
        progress?.Invoke(2, "Splitting the rows");
        var split = TrainingSplit.Make(rules, data, settings);
        return Fit(ml, rules, split, settings, progress, ct, watch);
    }

    /// <summary>Compiles the rules for the data's columns; rules that no longer match are a <see cref="TrainingException"/>.</summary>
    internal static CompiledRules Compile(RuleSet effective, TaskType task, RawTable data, MLContext ml)
    {
        try
        {
            return RuleCompiler.Compile(effective, task, data.Schema, ml);
        }
        catch (RuleSetException ex)
        {
            throw new TrainingException($"The feature rules do not match the data: {ex.Message}");
        }
    }

    /// <summary>Fits, evaluates and explains on a given split (the pooled model brings its own).</summary>
    internal static TrainedModel Fit(MLContext ml, CompiledRules rules, TrainingSplit split, TrainingSettings settings,
        Action<double, string>? progress, CancellationToken ct, Stopwatch watch)
    {
        var task = rules.Task;
        progress?.Invoke(5, "Fitting the feature rules on the training rows");
        var fitted = rules.Fit(split.Train);
        var train = FeatureMatrix.Read(fitted.Transform(split.Train), task);
        var test = FeatureMatrix.Read(fitted.Transform(split.Test), task);
        if (task == TaskType.Multiclass)
        {
            // A class first seen in the test split has no key (0): no model trained on these rows can predict it.
            test = test.Where(r => test.Labels[r] > 0);
        }

        var classes = task == TaskType.Multiclass ? Classes(fitted.OutputSchema) : null;
        LabelCheck.Run(train, test, task, classes);
        progress?.Invoke(8, $"Featurized {TrainingSplit.Count(train.Count)} + {TrainingSplit.Count(test.Count)} rows into {TrainingSplit.Count(train.Width)} slots");

        var (best, candidates, searchNote) = CandidateSearch.Run(ml, train, task, settings, split.Summary.ByTime, progress, ct);
        ct.ThrowIfCancellationRequested();
        progress?.Invoke(75, $"Fitting {best.Trainer} on {TrainingSplit.Count(train.Count)} rows");
        var predictor = best.Fit(train, null, task, settings.Seed, settings.Threads);
        var scored = predictor.Transform(test.View());
        progress?.Invoke(85, "Evaluating on the test split");
        var metrics = ModelEvaluator.Evaluate(ml, scored, task, classes);
        var fingerprint = ModelEvaluator.Fingerprint(scored);
        progress?.Invoke(90, "Explaining");
        var groups = FeatureGroup.From(fitted.Slots);
        var importance = ModelExplainer.Importance(predictor, test, groups, task, settings.Seed);
        progress?.Invoke(95, "Explaining rows");
        var explanations = ModelExplainer.Explain(ml, predictor, train, test, groups, task, classes ?? [], settings.ExplainedRows);

        progress?.Invoke(97, "Summarizing the training distributions for drift");
        var values = rules.Features.Select(f => new FeatureValue(f.Name, f.Type, f.ValueColumn)).ToArray();
        var (scores, predictedClasses) = OutputsOf(scored, task, classes);
        var baselines = Monitoring.ModelBaselines.Compute(fitted.Transform(split.Train), values, task, scores, predictedClasses);

        var report = new ModelReport
        {
            Task = task,
            Trainer = best.Trainer,
            Hyperparameters = best.Hyperparameters,
            Seed = settings.Seed,
            Candidates = candidates,
            SearchNote = searchNote,
            TestFraction = settings.TestFraction,
            Threads = settings.Threads,
            ExplainedRows = settings.ExplainedRows,
            Split = split.Summary with { TrainRows = train.Count, TestRows = test.Count },
            Test = metrics,
            Importance = importance,
            Explanations = explanations,
            TrainingDuration = watch.Elapsed,
            PredictionFingerprint = fingerprint,
            Baselines = baselines,
            Calibration = task == TaskType.Binary ? Calibrate(scored) : null,
        };
        progress?.Invoke(100, $"Trained {best.Trainer}: {metrics.Headline} {metrics.HeadlineValue.ToString("0.###", CultureInfo.InvariantCulture)}");
        var chain = new TransformerChain<ITransformer>(fitted.Transformer, predictor);
        return new TrainedModel(ml, chain,
            new ModelInput(rules.RawColumns, rules.IdentifierColumns.ToArray(), rules.Label.KnownColumn, rules.FeatureColumns, groups, values), report);
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

    /// <summary>The test split's probability → positive rate map (isotonic), for the label-free performance estimate.</summary>
    private static Monitoring.ProbabilityCalibration? Calibrate(IDataView scored)
    {
        var (labels, probabilities) = ModelEvaluator.ReadPairs(scored, ModelEvaluator.Probability);
        return Monitoring.ProbabilityCalibration.Fit(probabilities, labels);
    }

    private static void Validate(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TestFraction is <= 0 or >= 1 || double.IsNaN(settings.TestFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TestFraction, "The test fraction must be between 0 and 1.");
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

    private static IReadOnlyList<string> Classes(DataViewSchema schema)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        schema[RuleCompiler.LabelColumn].GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}

/// <summary>The data cannot give a model; the message says why in words a tenant's analyst understands.</summary>
public sealed class TrainingException(string message) : Exception(message);
