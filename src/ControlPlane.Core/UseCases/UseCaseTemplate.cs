using System.Text;
using ControlPlane.ML;

namespace ControlPlane.Core.UseCases;

/// <summary>One column a use case expects in a tenant's file: what it is for, its type and what a cell looks like.</summary>
/// <param name="Role">"entity key", "event time", "label" or "feature".</param>
public sealed record ExpectedColumn(string Name, string Role, string Type, bool Required, string Description, string Example);

/// <summary>
/// What a use case expects in a tenant's data file (issue 18): the entity key, event time, label and each feature read
/// from a column of its own, with types and an example, and a template CSV with that header and two example rows. Column
/// names are the canonical ones; a tenant's own names are mapped onto them in the wizard or the rules.
/// </summary>
public static class UseCaseTemplate
{
    public static IReadOnlyList<ExpectedColumn> Columns(UseCaseSummary useCase)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        var columns = new List<ExpectedColumn>
        {
            new(useCase.EntityKeyColumn, "entity key", "identifier", true, "Identifies the account, lead or ticket a row is about.", "A-1001"),
        };
        if (useCase.EventTimeColumn is { } time)
        {
            columns.Add(new(time, "event time", TypeName(FeatureType.DateTime), true,
                "When the row's facts were true (UTC); splits training and test by time and places predictions in time.", "2026-01-31T09:30:00Z"));
        }
        columns.Add(new(useCase.LabelColumn, "label", LabelType(useCase.TaskType), true, LabelDescription(useCase.TaskType), LabelExample(useCase.TaskType, 0)));
        // A feature with a source is derived from another column (the event time, the key or a feature): no column of its own.
        columns.AddRange(useCase.Features.Where(f => f.Source is null).Select(f => new ExpectedColumn(
            f.Name, "feature", TypeName(f.Type), false, f.Description ?? $"An input of the model ({TypeName(f.Type)}).", Example(f.Type, 0))));
        return columns;
    }

    /// <summary>The header and two example rows, RFC 4180 quoting where a cell needs it.</summary>
    public static string Csv(UseCaseSummary useCase)
    {
        var columns = Columns(useCase);
        var text = new StringBuilder();
        text.Append(string.Join(',', columns.Select(c => Quote(c.Name)))).Append("\r\n");
        for (var row = 0; row < 2; row++)
        {
            text.Append(string.Join(',', columns.Select(c => Quote(Cell(useCase, c, row))))).Append("\r\n");
        }
        return text.ToString();
    }

    public static string FileName(string useCase) => $"{useCase}-template.csv";

    private static string Cell(UseCaseSummary useCase, ExpectedColumn column, int row) => column.Role switch
    {
        "entity key" => row == 0 ? "A-1001" : "A-1002",
        "event time" => row == 0 ? "2026-01-31T09:30:00Z" : "2026-02-01T14:05:00Z",
        "label" => LabelExample(useCase.TaskType, row),
        _ => Example(useCase.Features.Single(f => f.Name == column.Name).Type, row),
    };

    private static string TypeName(FeatureType type) => type switch
    {
        FeatureType.Number => "number",
        FeatureType.Category => "category",
        FeatureType.Text => "text",
        FeatureType.Boolean => "true/false",
        FeatureType.DateTime => "date-time (ISO 8601)",
        _ => type.ToString(),
    };

    private static string Example(FeatureType type, int row) => type switch
    {
        FeatureType.Number => row == 0 ? "12" : "3.5",
        FeatureType.Category => row == 0 ? "basic" : "premium",
        FeatureType.Text => row == 0 ? "Cannot sign in since the update" : "Invoice shows the wrong amount",
        FeatureType.Boolean => row == 0 ? "true" : "false",
        FeatureType.DateTime => row == 0 ? "2026-01-15T08:00:00Z" : "2026-01-20T17:45:00Z",
        _ => "",
    };

    private static string LabelType(TaskType task) => task switch
    {
        TaskType.Binary => "true/false",
        TaskType.Multiclass => "category",
        _ => "number",
    };

    private static string LabelDescription(TaskType task) => task switch
    {
        TaskType.Binary => "What happened: true or false (yes/no, 1/0 and the tenant's own words can be mapped in the rules). Empty for rows not known yet.",
        TaskType.Multiclass => "The class that happened, one name per row. Empty for rows not known yet.",
        _ => "The number that happened. Empty for rows not known yet.",
    };

    private static string LabelExample(TaskType task, int row) => task switch
    {
        TaskType.Binary => row == 0 ? "false" : "true",
        TaskType.Multiclass => row == 0 ? "billing" : "technical",
        _ => row == 0 ? "42.5" : "17",
    };

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
