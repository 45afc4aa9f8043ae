using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// The raw columns effective rules read, each with the roles it plays ("entity key", "feature monthly_spend"), in rule
/// order: the entity key, the event time, the label (its source or its expression's inputs), then every feature's source.
/// </summary>
public sealed class MappedColumns
{
    private readonly List<(string Column, List<string> Roles)> _columns = [];

    /// <summary>Per column, the imputation of each feature reading it (null: the feature states none); a column no feature reads is absent.</summary>
    private readonly Dictionary<string, List<ImputeRule?>> _imputedBy = new(StringComparer.Ordinal);

    private MappedColumns() { }

    public IEnumerable<(string Column, string Roles)> All => _columns.Select(c => (c.Column, string.Join(", ", c.Roles)));

    public string? EntityKey { get; private init; }

    public string? EventTime { get; private init; }

    /// <summary>The label's raw column; null when the label is derived by an expression.</summary>
    public string? LabelSource { get; private init; }

    public string Roles(string column) => string.Join(", ", _columns.First(c => c.Column == column).Roles);

    /// <summary>
    /// How the rules fill a column's empty cells when only features read it and each states an imputation (decision
    /// 0050): their strategies in words ("mean", "constant 0"); null when the key, time or label reads it, or a feature
    /// reading it states none.
    /// </summary>
    public string? Imputed(string column)
    {
        var roles = _columns.FirstOrDefault(c => c.Column == column).Roles ?? [];
        if (!_imputedBy.TryGetValue(column, out var rules) || rules.Any(r => r is null) || roles.Any(r => !r.StartsWith("feature ", StringComparison.Ordinal)))
        {
            return null;
        }

        return string.Join(", ", rules.Select(r => r!.Strategy == ImputeStrategy.Constant ? $"constant {r.Value}" : r.Strategy.ToString().ToLowerInvariant()).Distinct());
    }

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
                    mapped.AddFeature(input, feature);
            }
            else mapped.AddFeature(feature.Source ?? feature.Name, feature);
            earlier.Add(feature.Name);
        }
        return mapped;
    }

    private void AddFeature(string column, FeatureRule feature)
    {
        Add(column, $"feature {feature.Name}");
        (_imputedBy.TryGetValue(column, out var list) ? list : _imputedBy[column] = []).Add(feature.Impute);
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
