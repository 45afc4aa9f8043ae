using System.Globalization;
using System.Text.Json;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Pipelines;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.RealData;

/// <summary>
/// The product's side of the real-data benchmark, through its real pipeline: each data set becomes a use case, each
/// tenant is onboarded into region "us" (the leaking tenant into "eu", alone, so its copy of a US tenant's rows joins no
/// pool), its train.csv becomes its dataset version with its own feature rules, and <c>retrain-all</c> trains the pools
/// and every tenant's own model, decides own or pooled on validation and runs the promotion gate. The test rows are
/// then scored by the serving components (the model cache, a pooled champion through its tenant's mapping) — the product
/// never stores them.
/// </summary>
internal static class RealDataProduct
{
    public const string Actor = "bench:model-quality-real";

    public static string Region(RealTenant tenant) => tenant.Leaky ? "eu" : "us";

    /// <summary>Creates the use case, its tenants, their dataset versions and rules; returns each tenant's slug in the product.</summary>
    public static async Task<IReadOnlyList<(RealTenant Tenant, string Slug)>> SeedAsync(IServiceProvider services, RealUseCase useCase, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var created = await sp.GetRequiredService<UseCaseService>().CreateAsync(new CreateUseCaseRequest
        {
            Key = useCase.Key, Name = useCase.Name, Description = "Real public data (R package modeldata), benchmark.",
            TaskType = Task(useCase), LabelColumn = useCase.Label, EntityKeyColumn = useCase.EntityKey, EventTimeColumn = useCase.EventTime,
            Features = useCase.Features.Select(f => new FeatureColumn(f.Name, Type(f.Type))).ToList(),
        }, Actor, ct);
        Ok(created.IsOk, $"use case {useCase.Key}", created.Message, created.Errors);

        var result = new List<(RealTenant, string)>();
        foreach (var tenant in useCase.Tenants)
        {
            var slug = $"{useCase.Key}-{tenant.Slug}";
            slug = slug.Length <= 40 ? slug : slug[..40].TrimEnd('-');
            var onboarded = await sp.GetRequiredService<TenantService>().CreateAsync(
                new CreateTenantRequest { Name = $"{useCase.Name}: {tenant.Slug}", Slug = slug, Region = Region(tenant), UseCases = [useCase.Key] }, Actor, ct: ct);
            Ok(onboarded.IsOk, $"tenant {slug}", onboarded.Message, onboarded.Errors);

            await using (var file = File.OpenRead(tenant.Train))
            {
                var version = await sp.GetRequiredService<DatasetService>().CreateVersionAsync(
                    slug, useCase.Key, "train.csv", file, Actor, DatasetSourceKinds.Upload, Types(useCase, tenant), ct);
                Ok(version.IsOk, $"dataset of {slug}", version.Message, version.Errors);
            }

            var rules = await sp.GetRequiredService<FeatureRuleService>().SaveAsync(slug, useCase.Key, Rules(useCase, tenant), "Mapped by the benchmark", Actor, ct);
            Ok(rules.IsOk, $"rules of {slug}", rules.Message, rules.Errors);
            result.Add((tenant, slug));
        }

        return result;
    }

    /// <summary>Every raw column's type as the tenant's export would state it: numbers, categories, the event time.</summary>
    internal static IReadOnlyDictionary<string, FeatureType> Types(RealUseCase useCase, RealTenant tenant)
    {
        var raw = tenant.Renames.ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        var types = useCase.Features.Concat(tenant.ExtraFeatures)
            .ToDictionary(f => raw.GetValueOrDefault(f.Name, f.Name), f => Type(f.Type), StringComparer.Ordinal);
        types[useCase.EntityKey] = FeatureType.Category;
        types[useCase.Label] = Task(useCase) == TaskType.Regression ? FeatureType.Number : FeatureType.Category;
        return types;
    }

    /// <summary>The tenant's overrides: its label spelling, its own column names, its extra columns.</summary>
    private static string Rules(RealUseCase useCase, RealTenant tenant)
    {
        var features = tenant.Renames.Select(r => (object)new { name = r.Value, source = r.Key })
            .Concat(tenant.ExtraFeatures.Select(f => (object)new { name = f.Name, type = f.Type }));
        var label = useCase.Positive is { } positive ? (object)new { source = useCase.Label, positive = new[] { positive } } : new { source = useCase.Label };
        return JsonSerializer.Serialize(new { label, features });
    }

    /// <summary>Starts retrain-all for the use case and waits for it (each tenant's retrain is a child run); returns what its pooled task said.</summary>
    public static async Task<string> RetrainAllAsync(ExecutorHost node, string useCase, CancellationToken ct)
    {
        var run = await node.RunAndWaitAsync(new RunRequest(RetrainPipelines.RetrainAll, UseCase: useCase, Trigger: "bench", TriggeredBy: Actor), TimeSpan.FromHours(2), ct);
        await using var db = await node.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ct);
        return await db.TaskRuns.Where(t => t.RunId == run && t.Name == PooledTask.Name).Select(t => t.ProgressMessage).FirstOrDefaultAsync(ct) ?? "";
    }

    /// <summary>
    /// The tenant's test rows scored by its own newest version, by the pooled model through that version's mapping (when
    /// a pool exists), and by whatever serves it now (the champion); with the own version's report and the champion.
    /// </summary>
    public static async Task<TenantOutcome> ScoreAsync(IServiceProvider services, RealUseCase useCase, RealTenant tenant, string slug, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        var cache = services.GetRequiredService<ModelCache>();
        var list = (await registry.ListAsync(slug, useCase.Key, ct)).Value
                   ?? throw new InvalidOperationException($"{slug} has no model line.");
        var own = list.Versions.Where(v => v.Kind == ModelVersionKinds.Own).MaxBy(v => v.Number)
                  ?? throw new InvalidOperationException($"{slug} has no own version: the retrain failed.");
        var details = (await registry.GetAsync(slug, useCase.Key, own.Number, ct)).Value!;
        var champion = list.Aliases.FirstOrDefault(a => a.Name == AliasNames.Champion)?.Version;

        var ownModel = await cache.ModelAsync(own.Id, ct);
        var test = await ReadAsync(tenant.Test, ownModel.InputColumns, ct);
        var ownScores = Score(ownModel.Score(Aligned(test, ownModel.InputColumns, ownModel.RequiredColumns)));

        double[]? pooledScores = null;
        if (details.PooledVersion is { } pooled)
        {
            using var lease = await cache.RentPooledAsync(pooled.Id, own.Id, ct);
            var mapped = Aligned(test, lease.InputColumns, lease.RequiredColumns);
            pooledScores = Score(lease.Score(mapped));
        }

        var served = champion is null ? null : champion.Kind == ModelVersionKinds.Pooled ? pooledScores : ownScores;
        return new TenantOutcome(slug, Labels(useCase, tenant), ownScores, pooledScores, served, details, champion);
    }

    /// <summary>The test file read as an upload is (CSV → typed snapshot) with the columns typed as the model read them in training.</summary>
    internal static async Task<RawTable> ReadAsync(string path, IReadOnlyList<RawColumn> columns, CancellationToken ct)
    {
        var types = columns.Select(c => (c.Name, c.Type)).ToArray();
        using var snapshot = new MemoryStream();
        await using (var file = File.OpenRead(path))
        await using (var reader = await CsvTableReader.OpenAsync(file, ct))
        {
            var header = reader.Columns;
            var known = types.ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);
            await ParquetSnapshotWriter.WriteAsync(snapshot, header.Select(h => (h, known.GetValueOrDefault(h, FeatureType.Text))).ToArray(), reader, ct);
        }

        snapshot.Position = 0;
        return await SnapshotReader.ReadAsync(snapshot, null, null, ct);
    }

    private static RawTable Aligned(RawTable test, IReadOnlyList<RawColumn> columns, IReadOnlyList<string> required) =>
        Core.Serving.BatchScorer.Align(test, columns, required, out var error) ?? throw new InvalidOperationException($"The test rows do not fit the model: {error}");

    private static double[] Score(IReadOnlyList<ModelScore> scores) => scores.Select(s => s.Score).ToArray();

    /// <summary>The test rows' labels: 1/0 for binary (the positive spelling), the value for regression.</summary>
    public static double[] Labels(RealUseCase useCase, RealTenant tenant)
    {
        var lines = File.ReadAllLines(tenant.Test);
        var header = CsvLine(lines[0]);
        var column = Array.IndexOf(header, useCase.Label);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => CsvLine(l)[column]).Select(v => Task(useCase) == TaskType.Binary
            ? (v == useCase.Positive ? 1.0 : 0.0)
            : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>One CSV record (quotes as Python's csv module writes them).</summary>
    public static string[] CsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }

        fields.Add(field.ToString());
        return fields.ToArray();
    }

    public static TaskType Task(RealUseCase useCase) => useCase.Task == "binary" ? TaskType.Binary : useCase.Task == "regression" ? TaskType.Regression : TaskType.Multiclass;

    internal static FeatureType Type(string type) => Enum.Parse<FeatureType>(type, ignoreCase: true);

    private static void Ok(bool ok, string what, string? message, IReadOnlyDictionary<string, string[]> errors)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Seeding {what} failed: {message} {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        }
    }
}

/// <summary>One tenant's test rows: their labels, and the scores of its own model, of the pool, and of what serves it.</summary>
internal sealed record TenantOutcome(
    string Slug, double[] Labels, double[] Own, double[]? Pooled, double[]? Served, ModelVersionDetails Version, ModelVersionRef? Champion);
