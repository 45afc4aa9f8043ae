using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Options;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// What the checks look at: the version's profile (counts, empties and misfits of every column) and, from its snapshot,
/// the rows of the key, time and label columns (<see cref="Rows"/> may hold only those).
/// </summary>
public sealed record ValidationInput(RuleSet Rules, TaskType Task, TableProfile Profile, RawTable Rows, ValidationOptions Options)
{
    public MappedColumns Mapped { get; } = MappedColumns.From(Rules);

    /// <summary>Why the enrollment has its own emptiness limit (<see cref="ValidationOptions.NullRateBlocking"/>); null: the server's.</summary>
    public string? OwnLimitReason { get; init; }

    public ColumnProfile? Column(string name) => Profile.Columns.FirstOrDefault(c => c.Name == name);

    public RawTableColumn? RowsOf(string name) => Rows.Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>What one check found: its issues, or nothing and the line that says it passed (null when the check did not apply).</summary>
internal sealed record CheckResult(string Code, IReadOnlyList<ValidationIssue> Issues, string? PassMessage)
{
    public static CheckResult Passed(string code, string message) => new(code, [], message);
}
