using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>A seeded tenant: its API key, the trainer of its champion, and rows in its own column names to predict.</summary>
public sealed record ServedTenant(string Slug, string ApiKey, string Trainer, IReadOnlyList<JsonObject> Rows);

/// <summary>
/// Tenants that each have their own champion model through the product's services: a few real models are trained on
/// generated demo data (one per template, logistic regression and FastTree in turn), then every tenant is created (its
/// API key is the one the create returns), uploads its template's data, is ingested into dataset version 1, saves its
/// template's demo rules, and registers its own copy of the template's model — its own version row and artifact file —
/// which it promotes to champion. The tenant's column names are its template's, so its rows fit its model.
/// </summary>
public static class ServingFleetSeeder
{
    public const string UseCase = DemoUseCaseKeys.LeadScoring;
    private const string Actor = "bench:serving-http";

    private sealed record Template(string Trainer, byte[] Artifact, ModelReport Report, byte[] Csv, string RulesJson, IReadOnlyList<JsonObject> Rows);

    public static async Task<IReadOnlyList<ServedTenant>> SeedAsync(IServiceProvider services, int count, int templates, int rows, CancellationToken ct)
    {
        var made = new List<Template>();
        for (var k = 0; k < templates; k++)
        {
            made.Add(await TrainAsync(k, rows, ct));
            var scoring = TrainedModel.Load(new MemoryStream(made[^1].Artifact)).RowScoring;
            Console.WriteLine($"  template {k}: {made[^1].Trainer}, artifact {made[^1].Artifact.Length / 1024.0:0} KiB, AUC {made[^1].Report.Test.HeadlineValue:0.000}, rows scored by {scoring}");
        }

        var seeded = new List<ServedTenant>();
        for (var i = 0; i < count; i++)
        {
            var template = made[i % made.Count];
            seeded.Add(await SeedTenantAsync(services, i, template, ct));
            if ((i + 1) % 100 == 0)
            {
                Console.WriteLine($"  {i + 1} tenants seeded");
            }
        }

        return seeded;
    }

    private static async Task<Template> TrainAsync(int k, int rows, CancellationToken ct)
    {
        var demo = new DemoTenant
        {
            Slug = $"bench-model-{k}", DisplayName = $"Bench model {k}", Region = "us", UseCaseKeys = [UseCase], Seed = 700 + k, Rows = rows,
        };
        var dataset = demo.Generate(UseCase);
        var table = await DemoRawTable.ReadAsync(dataset, ct: ct);
        var mapped = await DemoRuleSet.ForAsync(dataset, ct);
        var useCase = BuiltInUseCases.All().Single(u => u.Key == UseCase);
        var trainer = k % 2 == 0 ? TrainerNames.LogisticRegression : TrainerNames.FastTree;
        var model = ModelTrainer.Train(table, RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), mapped), useCase.TaskType,
            new TrainingSettings { Trainers = [trainer], DefaultHyperparametersOnly = true, Folds = 2, ExplainedRows = 5 }, ct: ct);
        using var artifact = new MemoryStream();
        model.Save(artifact);
        using var csv = new MemoryStream();
        await dataset.WriteCsvAsync(csv, ct);

        // What a client would send: the columns the model reads and the entity key, in the tenant's names; the label is left out.
        var sent = model.RequiredColumns.Concat(model.IdentifierColumns).ToHashSet(StringComparer.Ordinal);
        var requestRows = Enumerable.Range(0, Math.Min(50, table.RowCount)).Select(r => Row(table, r, sent)).ToList();
        return new Template(trainer, artifact.ToArray(), model.Report, csv.ToArray(), RuleJson.Write(mapped), requestRows);
    }

    private static async Task<ServedTenant> SeedTenantAsync(IServiceProvider services, int i, Template template, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var slug = $"serve-{i:D4}";
        var created = await sp.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = $"Serving tenant {i}", Slug = slug, Region = i % 2 == 0 ? "us" : "eu", UseCases = [UseCase] }, Actor, ct: ct);
        Check(created.IsOk, slug, "create", created.Message);
        var upload = await sp.GetRequiredService<UploadService>().AddAsync(slug, UseCase, "leads.csv", new MemoryStream(template.Csv), Actor, ct);
        Check(upload.IsOk, slug, "upload", upload.Message);
        var ingest = await sp.GetRequiredService<DatasetIngestService>().IngestAsync(slug, UseCase, Actor, (_, _) => Task.CompletedTask, ct);
        Check(ingest.IsOk && ingest.Value!.Created.Count == 1, slug, "ingest", ingest.Message);
        var rules = await sp.GetRequiredService<FeatureRuleService>().SaveAsync(slug, UseCase, template.RulesJson, DemoRuleSet.Comment, Actor, ct);
        Check(rules.IsOk, slug, "rules", rules.Message);
        var registry = sp.GetRequiredService<ModelRegistry>();
        var version = await registry.RegisterAsync(
            new ModelRegistration(slug, UseCase, 1, rules.Value!.Number, template.Report, Actor), new MemoryStream(template.Artifact), ct);
        Check(version.IsOk, slug, "register", version.Message);
        var promoted = await registry.PromoteAsync(slug, UseCase, version.Value!.Number, AliasNames.Champion, Actor, "serving-http benchmark", ct);
        Check(promoted.IsOk, slug, "promote", promoted.Message);
        return new ServedTenant(slug, created.Value!.ApiKey, template.Trainer, template.Rows);
    }

    private static void Check(bool ok, string slug, string step, string? message)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Seeding {slug}: {step} failed: {message}");
        }
    }

    private static JsonObject Row(RawTable table, int r, IReadOnlySet<string> sent)
    {
        var row = new JsonObject();
        foreach (var column in table.Columns.Where(c => sent.Contains(c.Name)))
        {
            // A missing value is sent as null (the column is there, its value is not) and imputed as in training.
            row[column.Name] = column.Values switch
            {
                double?[] numbers => numbers[r] is { } d ? JsonValue.Create(d) : null,
                bool?[] flags => flags[r] is { } b ? JsonValue.Create(b) : null,
                DateTime?[] times => times[r] is { } t ? JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)) : null,
                string?[] texts => texts[r] is { } s ? JsonValue.Create(s) : null,
                _ => null,
            };
        }

        return row;
    }
}
