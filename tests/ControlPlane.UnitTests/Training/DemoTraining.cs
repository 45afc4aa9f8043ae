using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>A demo enrollment's data as a dataset version holds it, with the demo seeder's effective rules.</summary>
internal sealed record DemoTraining(DemoDataset Dataset, RawTable Table, RuleSet Effective, TaskType Task)
{
    /// <summary>Small budgets keep the suite fast; tests about the search widen them.</summary>
    public static readonly TrainingSettings Quick = new()
    {
        TimeBudget = TimeSpan.FromSeconds(2), Folds = 2, Threads = 1, ExplainedRows = 5,
    };

    public static async Task<DemoTraining> LoadAsync(string tenantSlug, string useCaseKey, int? maxRows = null, DemoTenant? tenant = null)
    {
        var dataset = (tenant ?? DemoTenants.Get(tenantSlug)).Generate(useCaseKey);
        var table = await DemoRawTable.ReadAsync(dataset, maxRows);
        var useCase = BuiltInUseCases.All().Single(u => u.Key == useCaseKey);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), DemoRuleSet.For(dataset, table.Schema));
        return new DemoTraining(dataset, table, effective, useCase.TaskType);
    }

    public TrainedModel Train(TrainingSettings settings) => ModelTrainer.Train(Table, Effective, Task, settings);

    /// <summary>The raw column the label is read from.</summary>
    public string LabelColumn => Dataset.Label.RawName;

    /// <summary>A copy of the data with one column's values replaced.</summary>
    public DemoTraining WithColumn(string name, Func<RawTableColumn, RawTableColumn> replace) => this with
    {
        Table = new RawTable(Table.Columns.Select(c => c.Name == name ? replace(c) : c).ToArray()),
    };
}
