namespace ControlPlane.ML.Rules;

/// <summary>What the mapping assistant looks for: a target's canonical name, words, synonyms and expected type.</summary>
internal sealed record MappingTarget(string Name, string Canonical, MappingTarget.Kind Role, FeatureType? Type, string[] Synonyms)
{
    public enum Kind
    {
        Label,
        EntityKey,
        EventTime,
        Feature,
    }

    public string[] Words { get; } = ColumnNameTokens.Split(Canonical);

    /// <summary>The canonical name and its known synonyms, each as words.</summary>
    public IReadOnlyList<(string Phrase, string[] Words)> Phrases { get; } =
        [(Canonical, ColumnNameTokens.Split(Canonical)),
            .. Synonyms.Select(p => (p, ColumnNameTokens.Split(p)))];

    public static IReadOnlyList<MappingTarget> All(RuleDefaults defaults, IReadOnlyDictionary<string, string[]> synonyms)
    {
        string[] Known(string canonical) => synonyms.GetValueOrDefault(canonical) ?? [];

        var labelType = defaults.Task switch
        {
            TaskType.Binary => FeatureType.Boolean,
            TaskType.Regression => FeatureType.Number,
            _ => FeatureType.Category,
        };
        var targets = new List<MappingTarget>
        {
            new("label", defaults.LabelColumn, Kind.Label, labelType, Known(defaults.LabelColumn)),
            new("entityKey", defaults.EntityKeyColumn, Kind.EntityKey, null, Known(defaults.EntityKeyColumn)),
        };
        if (defaults.EventTimeColumn is { } eventTime)
        {
            targets.Add(new("eventTime", eventTime, Kind.EventTime, FeatureType.DateTime, Known(eventTime)));
        }

        targets.AddRange(defaults.Features.Select(f => new MappingTarget(f.Name, f.Name, Kind.Feature, f.Type, Known(f.Name))));
        return targets;
    }

    /// <summary>How well a column of this type can serve the target: 1 same kind of data, near 0 nonsense.</summary>
    public double TypeFit(FeatureType column) => (Role, Type, column) switch
    {
        (Kind.EntityKey, _, FeatureType.Category or FeatureType.Text) => 1,
        (Kind.EntityKey, _, FeatureType.Number) => 0.8,
        (Kind.EntityKey, _, _) => 0.1,
        (_, { } expected, _) when expected == column => 1,
        (_, FeatureType.Boolean, FeatureType.Category) => 0.75,
        (_, FeatureType.Boolean, FeatureType.Number) => 0.55,
        (_, FeatureType.Category, FeatureType.Text or FeatureType.Boolean) => 0.7,
        (_, FeatureType.Text, FeatureType.Category) => 0.75,
        (_, FeatureType.Category, FeatureType.Number) => 0.4,
        (_, FeatureType.Number, FeatureType.Category or FeatureType.Boolean) => 0.3,
        (_, FeatureType.DateTime, _) or (_, _, FeatureType.DateTime) => 0.1,
        _ => 0.2,
    };
}
