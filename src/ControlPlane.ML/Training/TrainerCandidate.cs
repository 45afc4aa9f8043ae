using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ControlPlane.ML.Training;

/// <summary>
/// One trainer with one hyperparameter setting. The first setting of each trainer is ML.NET's default; linear trainers
/// (logistic regression, maximum entropy, SDCA) get a min-max normalizer in front. Every trainer is given the seed and a
/// fixed thread count, so a fit is reproducible.
/// </summary>
public sealed record TrainerCandidate(string Trainer, IReadOnlyDictionary<string, string> Hyperparameters)
{
    private const string Leaves = "leaves";
    private const string Trees = "trees";
    private const string LearningRate = "learningRate";
    private const string L2 = "l2";
    private const string MinLeaf = "minLeaf";

    /// <summary>The search grid, interleaved: every trainer's default first, then every trainer's second setting, …</summary>
    public static IReadOnlyList<TrainerCandidate> Grid(TaskType task, IReadOnlyList<string>? trainers, bool defaultsOnly,
        IReadOnlyDictionary<string, string>? hyperparameters = null)
    {
        var allowed = TrainerNames.For(task);
        var names = trainers ?? allowed;
        if (names.Count == 0 || names.Any(n => !allowed.Contains(n)))
        {
            throw new ArgumentException(
                $"Trainers for a {task} task are {string.Join(", ", allowed)}; got {string.Join(", ", names)}.", nameof(trainers));
        }

        if (hyperparameters is not null)
        {
            if (names.Count != 1)
            {
                throw new ArgumentException("Fixed hyperparameters need exactly one trainer.", nameof(hyperparameters));
            }

            var known = Settings(names[0]).SelectMany(h => h.Keys).ToHashSet(StringComparer.Ordinal);
            if (known.Contains(Leaves))
            {
                known.Add(MinLeaf); // every tree trainer takes it
            }
            if (hyperparameters.FirstOrDefault(h => !known.Contains(h.Key) || !double.TryParse(h.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                is { Key: not null } bad)
            {
                throw new ArgumentException(
                    $"'{bad.Key}' = '{bad.Value}' is not a {names[0]} hyperparameter; it takes {string.Join(", ", known.Order(StringComparer.Ordinal))} as numbers.",
                    nameof(hyperparameters));
            }

            return [new TrainerCandidate(names[0], hyperparameters)];
        }

        var perTrainer = names.Distinct().Select(n => Settings(n).Select(h => new TrainerCandidate(n, h)).ToArray()).ToArray();
        var depth = defaultsOnly ? 1 : perTrainer.Max(s => s.Length);
        var grid = new List<TrainerCandidate>();
        for (var k = 0; k < depth; k++)
        {
            grid.AddRange(perTrainer.Where(s => k < s.Length).Select(s => s[k]));
        }

        return grid;
    }

    /// <summary>
    /// Each trainer's settings, the most robust first: the search's one-standard-error rule prefers the earlier ones. The
    /// first LightGBM setting (small trees, many of them, a slow rate, leaves of at least 20 rows) measured best out of
    /// time on real data (decision 0035); the second is LightGBM's and scikit-learn's usual default.
    /// </summary>
    private static IReadOnlyList<Dictionary<string, string>> Settings(string trainer) => trainer switch
    {
        TrainerNames.FastTree or TrainerNames.OneVersusAllTrees =>
        [
            Boosted(20, 100, 0.2), Boosted(8, 200, 0.1), Boosted(32, 60, 0.1),
        ],
        TrainerNames.LightGbm => [Boosted(15, 400, 0.05, minLeaf: 20), Boosted(31, 100, 0.1, minLeaf: 20), Boosted(63, 50, 0.1)],
        _ => [Linear(null), Linear(0.1), Linear(0.001)],
    };

    private static Dictionary<string, string> Boosted(int leaves, int trees, double rate, int? minLeaf = null)
    {
        var settings = new Dictionary<string, string> { [Leaves] = Text(leaves), [Trees] = Text(trees), [LearningRate] = Text(rate) };
        if (minLeaf is { } m)
        {
            settings[MinLeaf] = Text(m);
        }

        return settings;
    }

    private static Dictionary<string, string> Linear(double? l2) => l2 is { } v ? new() { [L2] = Text(v) } : [];

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Wider feature vectors (text n-grams give tens of thousands of slots) keep only this many slots, those with the
    /// most mutual information with the label in the rows the candidate is fitted on: tree trainers' time grows with
    /// the slot count, and rare n-grams carry little.
    /// </summary>
    public const int MaxSlots = 200;

    /// <summary>
    /// Fits the candidate on <paramref name="data"/> in a context of its own seeded with <paramref name="seed"/>: what a fit
    /// draws at random (SDCA's shuffles) never depends on how many fits came before it, so the final model is the same
    /// however far the search got within its budget.
    /// </summary>
    /// <remarks>
    /// Stage by stage: a stage in front of the trainer (slot selection, the linear trainers' normalizer) is fitted, its
    /// output read once into memory, and the next stage fitted on that. A trainer that passes over its data many times
    /// (L-BFGS iterates until it converges) then reads plain arrays instead of running the stage before it on every pass.
    /// </remarks>
    internal ITransformer Fit(FeatureMatrix data, IReadOnlyList<int>? rows, TaskType task, int seed, int threads)
    {
        var ml = MlContextFactory.Create(seed);
        var stages = Stages(ml, task, seed, threads, data.Width);
        var current = rows is null ? data : data.Rows(rows);
        var fitted = new List<ITransformer>();
        foreach (var stage in stages)
        {
            var view = current.View();
            var transformer = stage.Fit(view);
            fitted.Add(transformer);
            if (fitted.Count < stages.Count)
            {
                current = FeatureMatrix.Read(transformer.Transform(view), task);
            }
        }

        return fitted.Count == 1 ? fitted[0] : new TransformerChain<ITransformer>(fitted.ToArray());
    }

    /// <summary>The stages reading <c>Features</c> (of <paramref name="width"/> slots) and <c>Label</c>, the trainer last.</summary>
    private IReadOnlyList<IEstimator<ITransformer>> Stages(MLContext ml, TaskType task, int seed, int threads, int width)
    {
        var stages = new List<IEstimator<ITransformer>>();
        if (width > MaxSlots)
        {
            stages.Add(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation(
                RuleCompiler.FeaturesColumn, labelColumnName: RuleCompiler.LabelColumn, slotsInOutput: MaxSlots));
        }

        if (IsLinear)
        {
            stages.Add(ml.Transforms.NormalizeMinMax(RuleCompiler.FeaturesColumn));
        }

        stages.Add(TrainerEstimator(ml, task, seed, threads));
        return stages;
    }

    /// <summary>
    /// The relative size of one fit with these hyperparameters, to scale the time a setting of this trainer took to
    /// another setting: trees × leaves for boosted trees, 1 for linear trainers.
    /// </summary>
    internal double Size => IsLinear ? 1 : Number(Trees, 100) * Number(Leaves, Trainer == TrainerNames.LightGbm ? 31 : 20);

    /// <summary>Linear trainers get a min-max normalizer in front.</summary>
    private bool IsLinear => Trainer is TrainerNames.LogisticRegression or TrainerNames.MaximumEntropy or TrainerNames.Sdca;

    private IEstimator<ITransformer> TrainerEstimator(MLContext ml, TaskType task, int seed, int threads)
    {
        var label = RuleCompiler.LabelColumn;
        var features = RuleCompiler.FeaturesColumn;
        return (task, Trainer) switch
        {
            (TaskType.Binary, TrainerNames.FastTree) => ml.BinaryClassification.Trainers.FastTree(Tree(new FastTreeBinaryTrainer.Options(), seed, threads)),
            (TaskType.Binary, TrainerNames.LightGbm) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads, Seed = seed, Deterministic = true, ForceRowWise = true,
                NumberOfLeaves = (int)Number(Leaves, 31), NumberOfIterations = (int)Number(Trees, 100), LearningRate = Number(LearningRate, 0.1),
                MinimumExampleCountPerLeaf = MinLeafOrNull(),
            }),
            (TaskType.Binary, TrainerNames.LogisticRegression) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads,
                    L2Regularization = (float)Number(L2, 1),
                }),
            (TaskType.Multiclass, TrainerNames.LightGbm) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads, Seed = seed, Deterministic = true, ForceRowWise = true,
                NumberOfLeaves = (int)Number(Leaves, 31), NumberOfIterations = (int)Number(Trees, 100), LearningRate = Number(LearningRate, 0.1),
                MinimumExampleCountPerLeaf = MinLeafOrNull(),
            }),
            (TaskType.Multiclass, TrainerNames.MaximumEntropy) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads,
                    L2Regularization = (float)Number(L2, 1),
                }),
            (TaskType.Multiclass, TrainerNames.OneVersusAllTrees) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(Tree(new FastTreeBinaryTrainer.Options(), seed, threads)), label),
            (TaskType.Regression, TrainerNames.FastTree) => ml.Regression.Trainers.FastTree(Tree(new FastTreeRegressionTrainer.Options(), seed, threads)),
            (TaskType.Regression, TrainerNames.LightGbm) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads, Seed = seed, Deterministic = true, ForceRowWise = true,
                NumberOfLeaves = (int)Number(Leaves, 31), NumberOfIterations = (int)Number(Trees, 100), LearningRate = Number(LearningRate, 0.1),
                MinimumExampleCountPerLeaf = MinLeafOrNull(),
            }),
            (TaskType.Regression, TrainerNames.Sdca) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads,
                L2Regularization = Hyperparameters.ContainsKey(L2) ? (float)Number(L2, 0) : null,
                MaximumNumberOfIterations = 50,
            }),
            _ => throw new ArgumentException($"Trainer '{Trainer}' is not a candidate for a {task} task.", nameof(task)),
        };
    }

    private T Tree<T>(T options, int seed, int threads) where T : TreeOptions
    {
        options.LabelColumnName = RuleCompiler.LabelColumn;
        options.FeatureColumnName = RuleCompiler.FeaturesColumn;
        options.NumberOfLeaves = (int)Number(Leaves, 20);
        options.NumberOfTrees = (int)Number(Trees, 100);
        options.NumberOfThreads = threads;
        options.Seed = seed;
        if (MinLeafOrNull() is { } minLeaf)
        {
            options.MinimumExampleCountPerLeaf = minLeaf;
        }
        if (options is BoostedTreeOptions boosted)
        {
            boosted.LearningRate = Number(LearningRate, 0.2);
        }

        return options;
    }

    private int? MinLeafOrNull() => Hyperparameters.ContainsKey(MinLeaf) ? (int)Number(MinLeaf, 20) : null;

    private double Number(string name, double fallback) =>
        Hyperparameters.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
