using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// A tenant's fitted feature rules, taken from one of its own models, as the way from rows in the tenant's own column
/// names to the canonical columns a pooled model of its use case reads (real-time scoring by a pooled model). It
/// computes what <see cref="CanonicalTable.From"/> computes in training — each canonical feature's cleaned value as the
/// tenant's rules compute it, a feature the tenant dropped as missing — with the rules the own model fitted on the same
/// training split. Only the rules are kept; the own model's trainer is left behind.
/// </summary>
public sealed class CanonicalMapping
{
    private readonly MLContext _ml;
    private readonly ITransformer _rules;
    private readonly ModelInput _input;
    private readonly DataViewSchema _inputSchema;
    private readonly IReadOnlyList<FeatureValue> _values;

    private readonly string? _tenant;

    private CanonicalMapping(MLContext ml, ITransformer rules, ModelInput input, DataViewSchema inputSchema, IReadOnlyList<FeatureValue> values, string? tenant)
    {
        _tenant = tenant;
        _ml = ml;
        _rules = rules;
        _input = input;
        _inputSchema = inputSchema;
        _values = values;
    }

    /// <summary>The raw columns a table to map must have: the tenant model's.</summary>
    public IReadOnlyList<RawColumn> InputColumns => _input.Columns;

    /// <summary>The raw columns a row must bring: those the tenant's features read.</summary>
    public IReadOnlyList<string> RequiredColumns => _input.FeatureColumns ?? _input.Columns.Select(c => c.Name).ToArray();

    public IReadOnlyCollection<string> IdentifierColumns => _input.IdentifierColumns;

    /// <summary>
    /// The fitted rules of <paramref name="own"/>; null when its artifact was written before the features' value columns
    /// were recorded (<see cref="ModelInput.FeatureValues"/>) — retraining records them.
    /// </summary>
    /// <param name="tenant">The tenant <paramref name="own"/> belongs to: what the pooled model reads in <see cref="CanonicalTable.TenantColumn"/>.</param>
    public static CanonicalMapping? From(TrainedModel own, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(own);
        if (own.Input.FeatureValues is not { } values || own.Chain is not TransformerChain<ITransformer> chain || chain.Count() != 2)
        {
            return null;
        }

        return new CanonicalMapping(own.Context, chain.First(), own.Input, own.InputSchema, values, tenant);
    }

    /// <summary>The size of the rules alone as ML.NET saves them: what this mapping holds in memory, roughly.</summary>
    public long SavedBytes()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(_rules, _inputSchema, stream);
        return stream.Length;
    }

    /// <summary>
    /// A mapper onto <paramref name="canonicalColumns"/> (a pooled model's <see cref="TrainedModel.InputColumns"/>):
    /// bound once, it maps rows one at a time. Not thread-safe: keep one per thread or pool them.
    /// </summary>
    public CanonicalRowMapper CreateRowMapper(IReadOnlyList<RawColumn> canonicalColumns)
    {
        ArgumentNullException.ThrowIfNull(canonicalColumns);
        var output = _rules.GetOutputSchema(_inputSchema);
        var sources = canonicalColumns.Select(c => _values.FirstOrDefault(v => v.Feature == c.Name) is { } value
            ? output.GetColumnOrNull(value.Column) ?? throw new InvalidOperationException($"The fitted rules have no column '{value.Column}' for feature '{value.Feature}'.")
            : (DataViewSchema.Column?)null).ToArray();
        var key = output.GetColumnOrNull(RuleCompiler.EntityKeyColumn);
        var read = sources.OfType<DataViewSchema.Column>().Select(c => c.Name).Concat(key is { } k ? [k.Name] : []).Distinct();
        return new CanonicalRowMapper(new RawRowMapper(_rules, _inputSchema, read), canonicalColumns, sources, key, _tenant);
    }
}
