using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.DemoData;
using ControlPlane.Executor.Definitions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>Pipelines the executor benchmark runs: a chain and a fan-out of no-ops, and a realistic retrain.</summary>
public static class BenchPipelines
{
    public const string Chain = "bench-chain";
    public const string FanOut = "bench-fanout";
    public const string Retrain = "bench-retrain";

    private static readonly ConcurrentDictionary<Guid, long> InsideTicks = new();
    private static readonly ConcurrentDictionary<Guid, RetrainState> State = new();

    public static IEnumerable<PipelineDefinition> All()
    {
        yield return Pipeline.Define(Chain, p =>
        {
            for (var i = 0; i < 40; i++)
            {
                var task = p.Task($"t{i:D2}", _ => Task.CompletedTask).Pool("bench");
                if (i > 0)
                {
                    task.After($"t{i - 1:D2}");
                }
            }
        });
        yield return Pipeline.Define(FanOut, p =>
        {
            p.Task("start", _ => Task.CompletedTask).Pool("bench");
            var middle = new List<string>();
            for (var i = 0; i < 1000; i++)
            {
                middle.Add($"n{i:D4}");
                p.Task(middle[^1], _ => Task.CompletedTask).After("start").Pool("bench");
            }

            p.Task("end", _ => Task.CompletedTask).After([.. middle]).Pool("bench");
        });
        yield return Pipeline.Define(Retrain, p => p
            .Task("generate", ctx => Timed(ctx, Generate))
            .Task("featurize", ctx => Timed(ctx, Featurize)).After("generate")
            .Task("train", ctx => Timed(ctx, Train)).After("featurize").Pool("training")
            .Task("evaluate", ctx => Timed(ctx, Evaluate)).After("train"));
    }

    /// <summary>Milliseconds the run's tasks spent in their own code.</summary>
    public static double TaskMilliseconds(Guid runId) => TimeSpan.FromTicks(InsideTicks.GetValueOrDefault(runId)).TotalMilliseconds;

    private static async Task Timed(TaskContext ctx, Action<TaskContext, RetrainState> work)
    {
        var watch = Stopwatch.StartNew();
        await Task.Run(() => work(ctx, State.GetOrAdd(ctx.RunId, _ => new RetrainState())), ctx.CancellationToken);
        InsideTicks.AddOrUpdate(ctx.RunId, watch.Elapsed.Ticks, (_, t) => t + watch.Elapsed.Ticks);
    }

    private static void Generate(TaskContext ctx, RetrainState state)
    {
        var data = DemoDataGenerator.Generate("lead-scoring", new DemoGenerationOptions { TenantSlug = "bench-tenant", Rows = 250_000, Seed = 7 });
        var label = data.Label;
        state.Rows = Enumerable.Range(0, data.RowCount).Select(i => new LeadRow
        {
            CompanySize = Number(data, i, "company_size"),
            PagesViewed = Number(data, i, "pages_viewed"),
            EmailsOpened = Number(data, i, "emails_opened"),
            DaysSinceFirstTouch = Number(data, i, "days_since_first_touch"),
            Industry = data.Value(i, "industry") ?? "",
            LeadSource = data.Value(i, "lead_source") ?? "",
            Label = label.ToCanonicalValue(data.Value(i, "converted")!) == "true",
        }).ToList();
    }

    private static void Featurize(TaskContext ctx, RetrainState state)
    {
        var ml = new MLContext(seed: 1);
        var all = ml.Data.LoadFromEnumerable(state.Rows!);
        var split = ml.Data.TrainTestSplit(all, 0.2, seed: 1);
        var featurize = ml.Transforms.ReplaceMissingValues([new("CompanySize"), new("PagesViewed"), new("EmailsOpened"), new("DaysSinceFirstTouch")])
            .Append(ml.Transforms.Categorical.OneHotEncoding([new("IndustryKey", "Industry"), new("SourceKey", "LeadSource")]))
            .Append(ml.Transforms.Concatenate("Features", "CompanySize", "PagesViewed", "EmailsOpened", "DaysSinceFirstTouch", "IndustryKey", "SourceKey"))
            .Append(ml.Transforms.NormalizeMinMax("Features"));
        var model = featurize.Fit(split.TrainSet);
        state.Ml = ml;
        state.Train = ml.Data.Cache(model.Transform(split.TrainSet));
        state.Test = model.Transform(split.TestSet);
    }

    /// <summary>Model selection as the product does it: three-fold cross-validation of two candidates, then a final fit of the better.</summary>
    private static void Train(TaskContext ctx, RetrainState state)
    {
        var ml = state.Ml!;
        IEstimator<ITransformer>[] candidates =
        [
            ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 30),
            ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        ];
        var scored = candidates
            .Select(c => (Trainer: c, Auc: ml.BinaryClassification.CrossValidate(state.Train!, c, numberOfFolds: 3).Average(f => f.Metrics.AreaUnderRocCurve)))
            .OrderByDescending(c => c.Auc).ToList();
        if (scored[0].Auc < 0.6)
        {
            throw new InvalidOperationException("Cross-validation says the benchmark model is not learning.");
        }

        state.Model = scored[0].Trainer.Fit(state.Train!);
    }

    private static void Evaluate(TaskContext ctx, RetrainState state)
    {
        var metrics = state.Ml!.BinaryClassification.Evaluate(state.Model!.Transform(state.Test!));
        if (metrics.AreaUnderRocCurve < 0.6)
        {
            throw new InvalidOperationException($"The benchmark model is not learning (AUC {metrics.AreaUnderRocCurve:0.000}).");
        }

        State.TryRemove(ctx.RunId, out _);
    }

    private static float Number(DemoDataset data, int row, string column) =>
        data.Value(row, column) is { Length: > 0 } text && double.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? (float)data.Column(column).ToCanonicalNumber(value)
            : float.NaN;

    private sealed class RetrainState
    {
        public List<LeadRow>? Rows { get; set; }
        public MLContext? Ml { get; set; }
        public IDataView? Train { get; set; }
        public IDataView? Test { get; set; }
        public ITransformer? Model { get; set; }
    }

    private sealed class LeadRow
    {
        public float CompanySize { get; set; }
        public float PagesViewed { get; set; }
        public float EmailsOpened { get; set; }
        public float DaysSinceFirstTouch { get; set; }
        public string Industry { get; set; } = "";
        public string LeadSource { get; set; } = "";
        public bool Label { get; set; }
    }
}
