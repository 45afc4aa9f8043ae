using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Real-time scoring of one row at a time without ML.NET's row mapping of the rules: the fitted rules run as a
/// <see cref="FlatRules"/> program, then a FastTree model's trees as <see cref="FlatTrees"/>, and any other model by
/// ML.NET's own predictor, handed the feature vector in exactly the form ML.NET's rules would hand it on. The first
/// rows of each model are checked against ML.NET's featurization (<see cref="TrainedModel.FlatRulesMismatch"/>).
/// </summary>
internal sealed class FlatScoring
{
    /// <summary>How many rows of each model are featurized both ways and compared.</summary>
    public const int CheckedRows = 32;

    private readonly TrainedModel _model;
    private readonly FlatRules _rules;
    private readonly FlatTrees? _trees;
    private readonly ITransformer _predictor;
    private readonly ITransformer _rulesTransformer;
    private readonly string _features;
    private readonly string? _key;
    private readonly DataViewSchema _featuresSchema;
    private readonly Lock _checkGate = new();
    private RawRowMapper? _check;
    private int _checked;

    private FlatScoring(TrainedModel model, FlatRules rules, FlatTrees? trees, ITransformer rulesTransformer, ITransformer predictor, string features, string? key, DataViewSchema featuresSchema)
    {
        _model = model;
        _rules = rules;
        _trees = trees;
        _rulesTransformer = rulesTransformer;
        _predictor = predictor;
        _features = features;
        _key = key;
        _featuresSchema = featuresSchema;
    }

    /// <param name="why">Why ML.NET maps the rows instead, when it does.</param>
    public static FlatScoring? TryCreate(TrainedModel model, out string? why)
    {
        why = "the model is not rules followed by one predictor";
        // The rules, then what the trainer appended — a normalizer for linear models, then the predictor — run by ML.NET.
        if (model.Chain is not TransformerChain<ITransformer> chain || chain.Count() < 2)
        {
            return null;
        }

        var after = chain.Skip(1).SelectMany(Flatten).ToArray();
        if (after.LastOrDefault() is not ISingleFeaturePredictionTransformer<object> predictor)
        {
            why = $"the model ends in {after.LastOrDefault()?.GetType().Name ?? "nothing"}, not a predictor";
            return null;
        }

        var rulesTransformer = chain.First();
        var tail = after.Length == 1 ? after[0] : new TransformerChain<ITransformer>(after);
        var rulesOutput = rulesTransformer.GetOutputSchema(model.InputSchema);
        var features = predictor.FeatureColumnName;
        if (rulesOutput.GetColumnOrNull(features)?.Type is not VectorDataViewType { Size: > 0 } featureType)
        {
            why = "the features are not a vector of known size";
            return null;
        }

        var key = rulesOutput.GetColumnOrNull(RuleCompiler.EntityKeyColumn)?.Name;
        if (FlatRules.TryCreate(rulesTransformer, model.InputSchema, features, key, out why) is not { } rules)
        {
            return null;
        }

        if (rules.FeatureCount != featureType.Size)
        {
            why = $"the flat rules make {rules.FeatureCount} features where the model reads {featureType.Size}";
            return null;
        }

        why = null;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(features, featureType);
        return new FlatScoring(model, rules, after.Length == 1 ? model.FlatTreesOrNull() : null, rulesTransformer, tail, features, key, builder.ToSchema());
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer t) =>
        t is TransformerChain<ITransformer> inner ? inner.SelectMany(Flatten) : [t];

    public Scorer NewScorer() => new(this);

    /// <summary>Compares one row's flat featurization with ML.NET's; a difference turns the flat rules off for the model.</summary>
    private void Check(RawTable table, int row, in VBuffer<float> flat, string? key)
    {
        lock (_checkGate)
        {
            if (_checked >= CheckedRows || _model.FlatRulesRejected)
            {
                return;
            }

            _check ??= new RawRowMapper(_rulesTransformer, _model.InputSchema, _key is null ? [_features] : [_features, _key]);
            var output = _check.Map(table, row);
            var expected = default(VBuffer<float>);
            output.GetGetter<VBuffer<float>>(output.Schema[_features])(ref expected);
            string? expectedKey = null;
            if (_key is not null)
            {
                var text = default(ReadOnlyMemory<char>);
                output.GetGetter<ReadOnlyMemory<char>>(output.Schema[_key])(ref text);
                expectedKey = text.IsEmpty ? null : text.ToString();
            }

            if (Difference(expected, flat) is { } why)
            {
                _model.RejectFlatRules(why);
            }
            else if (!string.Equals(expectedKey, key, StringComparison.Ordinal))
            {
                _model.RejectFlatRules($"the entity key read '{key}' where ML.NET reads '{expectedKey}'");
            }

            _checked++;
        }
    }

    private static string? Difference(in VBuffer<float> expected, in VBuffer<float> actual)
    {
        if (expected.Length != actual.Length || expected.IsDense != actual.IsDense)
        {
            return $"the feature vector is {Describe(actual)} where ML.NET's is {Describe(expected)}";
        }

        var ev = expected.GetValues();
        var av = actual.GetValues();
        var ei = expected.GetIndices();
        var ai = actual.GetIndices();
        if (ev.Length != av.Length || !ei.SequenceEqual(ai))
        {
            return $"the feature vector sets other slots than ML.NET's ({av.Length} against {ev.Length} values)";
        }

        for (var i = 0; i < ev.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(ev[i]) != BitConverter.SingleToInt32Bits(av[i]))
            {
                return $"feature value {i} is {av[i]} where ML.NET's is {ev[i]}";
            }
        }

        return null;
    }

    private static string Describe(in VBuffer<float> v) => $"{(v.IsDense ? "dense" : "sparse")} of {v.Length}";

    /// <summary>One rented scorer's state: registers, the feature buffers and, for ML.NET's predictor, its bound row.</summary>
    internal sealed class Scorer
    {
        private readonly FlatScoring _program;
        private readonly FlatRules.Registers _registers;
        private readonly float[] _dense;
        private VBuffer<float> _vector;
        private readonly FeaturesRow? _row;
        private readonly Func<ModelScore>? _read;
        private ModelRowScorer? _fallback;

        public Scorer(FlatScoring program)
        {
            _program = program;
            _registers = program._rules.NewRegisters();
            _dense = new float[program._rules.FeatureCount];
            if (program._trees is null)
            {
                var mapper = program._predictor.GetRowToRowMapper(program._featuresSchema);
                var reader = ScoreReader.For(mapper.OutputSchema, program._model.Report);
                _row = new FeaturesRow(program._featuresSchema, this);
                _read = reader.Bind(mapper.GetRow(_row, reader.Columns.Select(c => mapper.OutputSchema[c.Name]).ToArray()));
            }
        }

        public ModelScore Score(RawTable table, int row)
        {
            if (_fallback is not null)
            {
                return _fallback.Score(table, row);
            }

            var rules = _program._rules;
            rules.Run(table, row, _registers, _dense);
            var key = rules.EntityKey(_registers);
            if (_program._checked < CheckedRows || _program._trees is null)
            {
                rules.WriteVector(_registers, _dense, ref _vector);
            }

            if (_program._checked < CheckedRows)
            {
                _program.Check(table, row, _vector, key);
                if (_program._model.FlatRulesRejected)
                {
                    _fallback = _program._model.CreateRowScorer(); // ML.NET's mapping from now on
                    return _fallback.Score(table, row);
                }
            }

            if (_program._trees is { } trees)
            {
                return new ModelScore(key, trees.Score(_dense), null);
            }

            _row!.Advance();
            return _read!() with { EntityKey = key };
        }

        internal ref readonly VBuffer<float> Vector => ref _vector;
    }

    /// <summary>A row of one column — the feature vector of the scorer's last row — for ML.NET's predictor to read.</summary>
    private sealed class FeaturesRow(DataViewSchema schema, Scorer scorer) : DataViewRow
    {
        private long _position = -1;

        public override DataViewSchema Schema => schema;
        public override long Position => _position;
        public override long Batch => 0;

        public void Advance() => _position++;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) => scorer.Vector.CopyTo(ref value);
            return (ValueGetter<TValue>)(Delegate)getter;
        }
    }
}
