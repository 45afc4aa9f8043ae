using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// The raw columns effective rules read, each with the roles it plays ("entity key", "feature monthly_spend"), in rule
/// order: the entity key, the event time, the label (its source or its expression's inputs), then every feature's source.
/// </summary>
public sealed class MappedColumns
{
    private readonly List<(string Column, List<string> Roles)> _columns = [];

    private MappedColumns() { }

    public IEnumerable<(string Column, string Roles)> All => _columns.Select(c => (c.Column, string.Join(", ", c.Roles)));

    public string? EntityKey { get; private init; }

    public string? EventTime { get; private init; }

    /// <summary>The label's raw column; null when the label is derived by an expression.</summary>
    public string? LabelSource { get; private init; }

    public string Roles(string column) => string.Join(", ", _columns.First(c => c.Column == column).Roles);

    public static MappedColumns From(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var label = rules.Label ?? new LabelRule();
        var mapped = new MappedColumns
        {
            EntityKey = Blank(rules.EntityKey), EventTime = Blank(rules.EventTime),
            LabelSource = label.Expression is null ? Blank(label.Source) : null,
        };
        mapped.Add(mapped.EntityKey, "entity key");
        mapped.Add(mapped.EventTime, "event time");
        if (label.Expression is { } labelExpression)
        {
            var features = rules.Features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var input in ExpressionInputs.Of(labelExpression, label.Inputs).Where(n => !features.Contains(n)))
                mapped.Add(input, "label expression");
        }
        else mapped.Add(mapped.LabelSource, "label");

        var earlier = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in rules.Features)
        {
            if (feature.Expression is { } expression)
            {
                foreach (var input in ExpressionInputs.Of(expression, feature.Inputs).Where(n => !earlier.Contains(n)))
                    mapped.Add(input, $"feature {feature.Name}");
            }
            else mapped.Add(feature.Source ?? feature.Name, $"feature {feature.Name}");
            earlier.Add(feature.Name);
        }
        return mapped;
    }

    private void Add(string? column, string role)
    {
        if (column is null) return;
        var existing = _columns.FindIndex(c => c.Column == column);
        if (existing < 0) _columns.Add((column, [role]));
        else if (!_columns[existing].Roles.Contains(role)) _columns[existing].Roles.Add(role);
    }

    private static string? Blank(string? name) => string.IsNullOrWhiteSpace(name) ? null : name;
}
