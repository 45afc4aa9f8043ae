using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Datasets.Validation;

/// <summary>Validates text rows the way an upload is validated: profiled, written as a snapshot, read back, checked.</summary>
internal static class ValidationTables
{
    public static async Task<ValidationReport> ValidateAsync(
        IReadOnlyList<string> header, IReadOnlyList<string?[]> rows, RuleSet rules, TaskType task,
        ValidationOptions? options = null, IReadOnlyDictionary<string, FeatureType>? types = null, string? ownLimitReason = null)
    {
        var profile = await ColumnProfiler.ProfileAsync(new ListTableReader(header, rows), types);
        using var snapshot = new MemoryStream();
        await ParquetSnapshotWriter.WriteAsync(snapshot, profile.Columns.Select(c => (c.Name, c.Type)).ToArray(), new ListTableReader(header, rows));
        var mapped = MappedColumns.From(rules);
        snapshot.Position = 0;
        var table = await SnapshotReader.ReadAsync(snapshot, DatasetValidator.RowColumns(mapped), null);
        var input = new ValidationInput(rules, task, profile, table, options ?? new ValidationOptions { MinRows = 1 }) { OwnLimitReason = ownLimitReason };
        return DatasetValidator.Validate(input, 1, 0, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    /// <summary>A demo tenant's upload with rules mapping every canonical column onto the tenant's raw header.</summary>
    public static Task<ValidationReport> ValidateDemoAsync(string useCaseKey, int rows, Func<RuleSet, RuleSet>? change = null, ValidationOptions? options = null)
    {
        var dataset = DemoDataGenerator.Generate(useCaseKey, new DemoGenerationOptions { TenantSlug = "northwind-traders", Rows = rows });
        var useCase = BuiltInUseCases.All().Single(u => u.Key == useCaseKey);
        var overrides = new RuleSet
        {
            EntityKey = dataset.EntityKey.RawName, EventTime = dataset.EventTime.RawName,
            Label = new LabelRule
            {
                Source = dataset.Label.RawName,
                Positive = useCase.TaskType == TaskType.Binary && dataset.Label.Values.TryGetValue("true", out var yes) ? [yes] : null,
            },
            Features = useCase.DefaultFeatures.Select(f => new FeatureRule { Name = f.Name, Source = dataset.Mapping[f.Name] }).ToArray(),
        };
        var rules = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), change?.Invoke(overrides) ?? overrides);
        return ValidateAsync(dataset.Header, dataset.Rows.Select(r => r.ToArray()).ToArray(), rules, useCase.TaskType, options ?? new ValidationOptions());
    }

    public static RuleSet Rules(string key = "id", string? time = "at", string label = "y", params string[] features) => new()
    {
        EntityKey = key, EventTime = time, Label = new LabelRule { Source = label },
        Features = features.Select(f => new FeatureRule { Name = f }).ToArray(),
    };

    public static string?[] Row(params string?[] cells) => cells;
}
