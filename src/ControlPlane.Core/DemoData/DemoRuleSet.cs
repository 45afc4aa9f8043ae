using System.Globalization;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.DemoData;

/// <summary>
/// The feature rules a careful analyst would write for a demo dataset, from the generator's ground truth: each feature
/// read from the tenant's header, scaled back to the use case's unit, its spellings mapped onto the canonical values,
/// and the label's positive spelling. Spellings are mapped only where the column is stored as text, as the compiler
/// reads booleans and numbers as they are.
/// </summary>
public static class DemoRuleSet
{
    public const string Comment = "Mapped by the demo seeder";

    /// <param name="columns">The dataset's columns as an upload would store them (see <see cref="ColumnsAsync"/>).</param>
    public static RuleSet For(DemoDataset dataset, IReadOnlyList<RawColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(columns);
        var types = columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        bool IsText(DemoColumn column) => types.GetValueOrDefault(column.RawName) is FeatureType.Category or FeatureType.Text;

        return new RuleSet
        {
            Label = Label(dataset, IsText(dataset.Label)),
            EntityKey = Renamed(dataset.EntityKey),
            EventTime = Renamed(dataset.EventTime),
            Features = dataset.Columns.Where(c => c.Role == DemoColumnRole.Feature && NeedsRule(c, IsText(c)))
                .Select(c => Feature(c, IsText(c))).ToArray(),
        };
    }

    /// <summary>The rules for the dataset's columns as an upload of its CSV would type them.</summary>
    public static async Task<RuleSet> ForAsync(DemoDataset dataset, CancellationToken ct = default) =>
        For(dataset, await ColumnsAsync(dataset, ct));

    /// <summary>Names and inferred types of the dataset's columns, profiled from its CSV as an upload is.</summary>
    public static async Task<IReadOnlyList<RawColumn>> ColumnsAsync(DemoDataset dataset, CancellationToken ct = default)
    {
        var profile = await DemoRawTable.ProfileAsync(dataset, ct);
        return profile.Columns.Select(c => new RawColumn(c.Name, c.Type)).ToArray();
    }

    private static LabelRule Label(DemoDataset dataset, bool isText)
    {
        var label = dataset.Label;
        if (label.RawPerUnit != 1)
        {
            // A label has no scale: an expression turns the tenant's unit back into the use case's.
            return new LabelRule { Expression = $"x => x / {Number(label.RawPerUnit)}", Inputs = [label.RawName] };
        }

        return new LabelRule
        {
            Source = label.RawName,
            Positive = isText && dataset.Task == DemoTaskKind.BinaryClassification && label.Values.TryGetValue("true", out var yes) ? [yes] : null,
            Values = isText && dataset.Task == DemoTaskKind.MulticlassClassification ? Spellings(label) : null,
        };
    }

    private static FeatureRule Feature(DemoColumn column, bool isText) => new()
    {
        Name = column.CanonicalName,
        Source = column.RawName == column.CanonicalName ? null : column.RawName,
        Scale = column.RawPerUnit == 1 ? null : column.RawPerUnit,
        Values = isText ? Spellings(column) : null,
    };

    private static bool NeedsRule(DemoColumn column, bool isText) =>
        column.RawName != column.CanonicalName || column.RawPerUnit != 1 || (isText && Spellings(column) is not null);

    /// <summary>Tenant spelling → canonical value, leaving out those spelt canonically; null when all are.</summary>
    private static Dictionary<string, string>? Spellings(DemoColumn column)
    {
        var map = column.Values.Where(v => v.Key != v.Value).ToDictionary(v => v.Value, v => v.Key, StringComparer.Ordinal);
        return map.Count == 0 ? null : map;
    }

    private static string? Renamed(DemoColumn column) => column.RawName == column.CanonicalName ? null : column.RawName;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
