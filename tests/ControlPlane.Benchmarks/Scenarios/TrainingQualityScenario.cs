using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Model quality against a reference: per binary demo dataset, the test AUC of the model the trainer chooses (search
/// over FastTree, LightGBM and logistic regression) against a plain FastTree with ML.NET's default settings on the same
/// split, and what each costs to train.
/// </summary>
public sealed class TrainingQualityScenario : IScenario
{
    private static readonly TrainingSettings Chosen = new() { TimeBudget = TimeSpan.FromSeconds(30), Folds = 3, Threads = 1 };

    private static readonly TrainingSettings Plain = Chosen with { Trainers = [TrainerNames.FastTree], DefaultHyperparametersOnly = true };

    /// <summary>The standard demo tenants' binary enrollments, and three more generated tenants so there are seven.</summary>
    private static IEnumerable<(DemoTenant Tenant, string UseCase)> Datasets()
    {
        foreach (var tenant in DemoTenants.Standard)
        {
            foreach (var useCase in tenant.UseCaseKeys.Where(u => u is DemoUseCaseKeys.LeadScoring or DemoUseCaseKeys.ChurnRisk))
            {
                yield return (tenant, useCase);
            }
        }

        yield return (Extra("bench-lead-a", 201, DemoUseCaseKeys.LeadScoring), DemoUseCaseKeys.LeadScoring);
        yield return (Extra("bench-churn-a", 202, DemoUseCaseKeys.ChurnRisk), DemoUseCaseKeys.ChurnRisk);
        yield return (Extra("bench-lead-b", 203, DemoUseCaseKeys.LeadScoring), DemoUseCaseKeys.LeadScoring);
    }

    private static DemoTenant Extra(string slug, int seed, string useCase) => new()
    {
        Slug = slug, DisplayName = slug, Region = "us", UseCaseKeys = [useCase], Seed = seed, Rows = 5000,
    };

    public string Name => "training-quality";
    public string Title => "Model quality: chosen model vs plain FastTree, 7 binary demo datasets";

    public string Description =>
        "Each binary demo dataset (the standard tenants' lead-scoring and churn-risk enrollments, plus three generated tenants of 5,000 rows) is read as a dataset " +
        "version holds it and trained with the demo seeder's rules, split by event time (newest 20 % = test). The chosen model is `ModelTrainer.Train` with the " +
        $"full search (FastTree, LightGBM, logistic regression, three settings each, {Chosen.Folds}-fold time-ordered cross-validation, budget " +
        $"{Chosen.TimeBudget.TotalSeconds:0} s, {Chosen.Threads} thread). The floor (reference) is a plain FastTree with ML.NET's default settings on the same " +
        "split and the same fitted rules (`Trainers = [fasttree]`, `DefaultHyperparametersOnly`). Times are one training each, end to end (rules fit, search, " +
        "final fit, evaluation, permutation importance and row explanations); × floor is the chosen model's time over the plain FastTree's.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var rows = new List<string>();
        var deltas = new List<double>();
        var losses = new List<string>();
        var c = CultureInfo.InvariantCulture;
        foreach (var (tenant, useCase) in Datasets())
        {
            var dataset = tenant.Generate(useCase);
            var table = await DemoRawTable.ReadAsync(dataset, ct: ct);
            var definition = BuiltInUseCases.All().Single(u => u.Key == useCase);
            var rules = RuleInheritance.Effective(FeatureRuleService.Defaults(definition), DemoRuleSet.For(dataset, table.Schema));
            Console.WriteLine($"  {tenant.Slug}/{useCase}: {table.RowCount:N0} rows…");

            var (plain, plainTime) = Train(table, rules, Plain, ct);
            var (chosen, chosenTime) = Train(table, rules, Chosen, ct);
            var name = $"{tenant.Slug} / {useCase}";
            var plainAuc = plain.Report.Test.Auc!.Value;
            var chosenAuc = chosen.Report.Test.Auc!.Value;
            deltas.Add(chosenAuc - plainAuc);
            if (chosenAuc < plainAuc)
            {
                losses.Add(string.Create(c, $"{tenant.Slug} / {useCase} by {plainAuc - chosenAuc:0.000}"));
            }

            floors.Add(new Measurement($"plain FastTree: {name}", "ML.NET", plainTime, 1, string.Create(c, $"AUC {plainAuc:0.000}")));
            results.Add(new Measurement($"chosen: {name}", "ML.NET", chosenTime, chosenTime.MedianMs / plainTime.MedianMs,
                string.Create(c, $"{chosen.Report.Trainer}, AUC {chosenAuc:0.000}")));
            rows.Add(string.Create(c,
                $"| {name} | {chosen.Report.Split.TrainRows:N0} / {chosen.Report.Split.TestRows:N0} | {chosen.Report.Trainer} {Hyper(chosen.Report)} | {chosenAuc:0.000} | {plainAuc:0.000} | {chosenAuc - plainAuc:+0.000;-0.000;0.000} | {chosen.Report.Candidates.Count} | {chosenTime.MedianMs / 1000:0.0} | {plainTime.MedianMs / 1000:0.0} |"));
        }

        var notes = new List<string>
        {
            "| dataset | train / test rows | chosen trainer | chosen AUC | plain FastTree AUC | Δ AUC | candidates tried | chosen s | plain s |\n" +
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n" + string.Join("\n", rows),
            string.Create(c, $"Mean Δ AUC (chosen − plain FastTree): {deltas.Average():+0.000;-0.000;0.000}; the chosen model is at least as good on {deltas.Count(d => d >= 0)} of {deltas.Count} datasets. ") +
            (losses.Count == 0 ? "" : $"Where it loses ({string.Join(", ", losses)}), the search chose by cross-validation on the training rows, which cannot see the test split. ") +
            "The demo generator draws labels from a logistic model of the features, which is why a regularized logistic regression is so often the best choice here.",
        };
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static (TrainedModel Model, Timing Time) Train(RawTable table, RuleSet rules, TrainingSettings settings, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var model = ModelTrainer.Train(table, rules, ML.TaskType.Binary, settings, ct: ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        return (model, Timing.Once(ms));
    }

    private static string Hyper(ModelReport report) => report.Hyperparameters.Count == 0
        ? "(defaults)"
        : "(" + string.Join(", ", report.Hyperparameters.Select(h => $"{h.Key} {h.Value}")) + ")";
}
