using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

/// <summary>
/// Walks an effective rule set once, building the ML.NET estimator steps and collecting every problem found as a
/// <see cref="RuleError"/>. The checker and the compiler share it, so what compiles is exactly what checks clean.
/// </summary>
internal sealed partial class RulePlanBuilder
{
    private const string Prefix = "_rules.";

    private readonly MLContext _ml;
    private readonly RuleSet _rules;
    private readonly TaskType _task;
    private readonly List<RuleError> _errors = [];
    private readonly List<Func<IDataView?, IEstimator<ITransformer>>> _steps = [];
    private readonly Dictionary<string, DataViewType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawColumn> _raw = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<RawColumn> _rawColumns;
    private readonly Dictionary<string, int> _dropped = new(StringComparer.Ordinal);
    private readonly List<CompiledFeature> _features = [];
    private readonly SortedSet<string> _featureReads = new(StringComparer.Ordinal);
    private bool _inFeature;

    private readonly int _featurization;

    public RulePlanBuilder(MLContext ml, RuleSet rules, TaskType task, IReadOnlyList<RawColumn> columns, int featurization = DateFeatures.CurrentFeaturization)
    {
        _ml = ml;
        _featurization = featurization;
        _rules = rules;
        _task = task;
        _rawColumns = columns;
        if (rules.EntityKey is { } key && columns.FirstOrDefault(c => c.Name == key) is { Type: FeatureType.Number })
        {
            IdentifierColumns = [key];
        }

        foreach (var column in columns)
        {
            _raw[column.Name] = column;
        }

        foreach (var column in RawTableDataView.SchemaFor(columns, IdentifierColumns))
        {
            _types[column.Name] = column.Type;
        }
    }

    /// <summary>Number columns read as exact text (a numeric entity key), as <see cref="RawTableDataView"/> is told.</summary>
    public IReadOnlyCollection<string> IdentifierColumns { get; } = [];

    public IReadOnlyList<RuleError> Errors => _errors;

    public IReadOnlyList<CompiledFeature> Features => _features;

    /// <summary>The raw columns the features read (sources and expression inputs): what a row to score must have.</summary>
    public IReadOnlyCollection<string> FeatureColumns => _featureReads;

    public CompiledLabel? Label { get; private set; }

    /// <summary>Each step given the data fitted so far (null when only the schema is wanted) returns its estimator.</summary>
    public IReadOnlyList<Func<IDataView?, IEstimator<ITransformer>>> Steps => _steps;

    public void Build(IReadOnlyCollection<string>? inheritedFeatures)
    {
        CheckDrops(inheritedFeatures);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _rules.Features.Count; i++)
        {
            var rule = _rules.Features[i];
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                Error($"features[{i}].name", "A feature needs a name.");
                continue;
            }

            if (!seen.Add(rule.Name))
            {
                Error(RuleError.FeaturePath(rule.Name, "name"), $"Two features are named '{rule.Name}'; names must be unique.");
                continue;
            }

            if (CompileFeature(i, rule) is { } feature)
            {
                _features.Add(feature);
            }
        }

        CompileLabel();
        CompileKeyAndTime();
        if (_rules.Features.Count == 0)
        {
            Error("features", "There are no features; a model needs at least one.");
        }
        else if (_features.Count == _rules.Features.Count)
        {
            Add(_ml.Transforms.Concatenate(RuleCompiler.FeaturesColumn, _features.SelectMany(f => f.OutputColumns).ToArray()),
                RuleCompiler.FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single));
        }
    }

    /// <summary>A pipeline column for feature <paramref name="feature"/>; -1 is the label, -2 the entity key.</summary>
    private static string Column(int feature, string stage) => feature switch
    {
        -1 => $"{Prefix}label.{stage}",
        -2 => $"{Prefix}key.{stage}",
        _ => $"{Prefix}{feature}.{stage}",
    };

    private void Error(string path, string message) => _errors.Add(new RuleError(path, message));

    private void Add(IEstimator<ITransformer> step, string output, DataViewType type) => Add(_ => step, output, type);

    private void Add(Func<IDataView?, IEstimator<ITransformer>> step, string output, DataViewType type)
    {
        _steps.Add(step);
        _types[output] = type;
    }

    private void CheckDrops(IReadOnlyCollection<string>? inheritedFeatures)
    {
        for (var i = 0; i < _rules.Drop.Count; i++)
        {
            var name = _rules.Drop[i];
            if (_raw.ContainsKey(name))
            {
                _dropped[name] = i;
            }
            else if (inheritedFeatures is not null && !inheritedFeatures.Contains(name))
            {
                Error($"drop[{i}]", $"'{name}' is neither a raw column nor a feature of this use case. {ColumnHint(name)}");
            }
        }
    }

    /// <summary>Finds a raw column by exact name; reports a missing or dropped one at <paramref name="path"/>.</summary>
    /// <param name="missing">What to say when the column is missing, instead of "There is no column …".</param>
    private RawColumn? RawColumnAt(string name, string path, string? missing = null)
    {
        if (!_raw.TryGetValue(name, out var column))
        {
            Error(path, $"{missing ?? $"There is no column '{name}'."} {ColumnHint(name)}");
            return null;
        }

        if (_dropped.TryGetValue(name, out var index))
        {
            Error(path, $"Column '{name}' is dropped (drop[{index}]) and cannot be used.");
            return null;
        }

        if (_inFeature)
        {
            _featureReads.Add(column.Name);
        }

        return column;
    }

    private string ColumnHint(string name)
    {
        var closest = NameMatching.Closest(name, _rawColumns.Select(c => c.Name));
        if (closest is not null)
        {
            return $"Did you mean '{closest}'?";
        }

        const int shown = 20;
        var names = _rawColumns.Take(shown).Select(c => $"'{c.Name}'");
        var more = _rawColumns.Count > shown ? $" and {_rawColumns.Count - shown} more" : "";
        return _rawColumns.Count == 0 ? "The data has no columns." : $"The columns are {string.Join(", ", names)}{more}.";
    }
}
