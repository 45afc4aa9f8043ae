using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Fitted feature rules turned into a flat program for real-time scoring of one row at a time: a list of steps over one
/// register file (numbers, date-times, texts and the feature vector), run in the chain's order. ML.NET maps a row
/// through one object per transform, each wrapping the row before it; with a thousand models in one process every
/// request meets its model cold, and that object graph — not the arithmetic — was the larger part of a prediction's
/// cost (decision 0023). Here a model's rules are a few dozen small steps.
/// <para>
/// Every step does what the ML.NET transform does, with ML.NET's own parts where the arithmetic lives: an expression
/// step calls the very delegate ML.NET compiled for the expression, a missing-value step substitutes the value the
/// transformer fitted, one-hot steps look terms up in the transformer's own term list, hashed ones hash with ML.NET's
/// own Murmur hash and mask. Conversions are the plain casts ML.NET uses. Anything else — text featurization, vector
/// inputs, a transform not listed — makes <see cref="TryCreate"/> answer null, and ML.NET maps the rows as before.
/// The scorer also checks each model's first rows against ML.NET (<see cref="Training.FlatScoring"/>).
/// </para>
/// </summary>
internal sealed class FlatRules
{
    private readonly Step[] _steps;
    private readonly Input[] _inputs;
    private readonly FeatureSource[] _features;

    private FlatRules(Step[] steps, Input[] inputs, Layout layout, FeatureSource[] features, int featureCount, int? entityKey)
    {
        _steps = steps;
        _inputs = inputs;
        Sizes = layout;
        _features = features;
        FeatureCount = featureCount;
        EntityKeyRegister = entityKey;
    }

    public int FeatureCount { get; }

    internal Layout Sizes { get; }

    internal int? EntityKeyRegister { get; }

    /// <summary>Registers for one scorer (not thread-safe; one per rented scorer).</summary>
    public Registers NewRegisters() => new(Sizes);

    /// <summary>Runs the rules on row <paramref name="row"/> of <paramref name="table"/>, leaving the feature vector in <paramref name="features"/>.</summary>
    public void Run(RawTable table, int row, Registers r, Span<float> features)
    {
        foreach (var input in _inputs)
        {
            input.Read(table, row, r);
        }

        foreach (var step in _steps)
        {
            step.Run(r);
        }

        var at = 0;
        foreach (var (index, length, vector) in _features)
        {
            if (vector)
            {
                r.Vectors.AsSpan(index, length).CopyTo(features[at..]);
                at += length;
            }
            else
            {
                features[at++] = r.Singles[index];
            }
        }
    }

    /// <summary>
    /// The feature vector of the last <see cref="Run"/> as ML.NET's concatenation hands it on: sparse (every number an
    /// explicit value, each one-hot its one set slot) when at most half the slots are explicit, dense otherwise. A
    /// linear model's dot product sums in an order that depends on that form, so it must be the same form, not only
    /// the same values.
    /// </summary>
    public void WriteVector(Registers r, ReadOnlySpan<float> dense, ref VBuffer<float> vector)
    {
        var count = 0;
        foreach (var (index, length, isVector) in _features)
        {
            if (!isVector)
            {
                count++;
                continue;
            }

            foreach (var v in r.Vectors.AsSpan(index, length))
            {
                if (v != 0) count++;
            }
        }

        if (count > FeatureCount / 2)
        {
            var editor = VBufferEditor.Create(ref vector, FeatureCount);
            dense.CopyTo(editor.Values);
            vector = editor.Commit();
            return;
        }

        var sparse = VBufferEditor.Create(ref vector, FeatureCount, count);
        int at = 0, k = 0;
        foreach (var (index, length, isVector) in _features)
        {
            if (!isVector)
            {
                sparse.Values[k] = r.Singles[index];
                sparse.Indices[k++] = at++;
                continue;
            }

            var slots = r.Vectors.AsSpan(index, length);
            for (var i = 0; i < slots.Length; i++)
            {
                if (slots[i] != 0)
                {
                    sparse.Values[k] = slots[i];
                    sparse.Indices[k++] = at + i;
                }
            }

            at += length;
        }

        vector = sparse.CommitTruncated(k);
    }

    /// <summary>The entity key the rules read from the row (as text), or null.</summary>
    public string? EntityKey(Registers r) => EntityKeyRegister is { } k ? Training.ScoreReader.Text(r.Texts[k]) : null;

    /// <summary>
    /// The flat program of a fitted rules chain over raw rows of <paramref name="inputSchema"/>, producing
    /// <paramref name="featuresColumn"/> (and <paramref name="entityKeyColumn"/> when given); null when a step is not one
    /// this class reproduces.
    /// </summary>
    public static FlatRules? TryCreate(ITransformer rules, DataViewSchema inputSchema, string featuresColumn, string? entityKeyColumn, out string? why)
    {
        try
        {
            why = null;
            return new Builder(inputSchema).Build(rules, featuresColumn, entityKeyColumn);
        }
        catch (NotSupportedException ex)
        {
            why = ex.Message;
            return null;
        }
    }

    /// <summary>Where each kind of value lives: counts of single, double and text registers and the vector area's length.</summary>
    internal sealed record Layout(int Singles, int Doubles, int Texts, int Bools, int Keys, int VectorLength);

    internal sealed class Registers(Layout layout)
    {
        public readonly float[] Singles = new float[layout.Singles];
        public readonly double[] Doubles = new double[layout.Doubles];
        public readonly ReadOnlyMemory<char>[] Texts = new ReadOnlyMemory<char>[layout.Texts];
        public readonly bool[] Bools = new bool[layout.Bools];
        public readonly uint[] Keys = new uint[layout.Keys];
        public readonly float[] Vectors = new float[layout.VectorLength];
    }

    private enum Kind { Single, Double, Text, Bool, Key, Vector }

    private readonly record struct Register(Kind Kind, int Index, int Length = 1);

    /// <summary>One source of the feature vector: a single register (<paramref name="Index"/>) or a slice of the vector area.</summary>
    private readonly record struct FeatureSource(int Index, int Length, bool Vector);

    /// <summary>Reads one raw column of the row into a register, converting as <see cref="RawTableDataView"/> does.</summary>
    private sealed class Input(int column, Register target)
    {
        public void Read(RawTable table, int row, Registers r)
        {
            var values = table.Columns[column].Values;
            switch (target.Kind)
            {
                case Kind.Single:
                    r.Singles[target.Index] = values switch
                    {
                        double?[] numbers => numbers[row] is { } d ? (float)d : float.NaN,
                        bool?[] flags => flags[row] is { } b ? (b ? 1f : 0f) : float.NaN,
                        _ => throw new InvalidOperationException("The column does not hold numbers or booleans."),
                    };
                    break;
                case Kind.Double:
                    r.Doubles[target.Index] = ((DateTime?[])values)[row] is { } t ? RawTableDataView.UnixSeconds(t) : double.NaN;
                    break;
                case Kind.Text:
                    r.Texts[target.Index] = values switch
                    {
                        string?[] texts => (texts[row] ?? "").AsMemory(),
                        double?[] ids => (ids[row]?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "").AsMemory(), // a numeric identifier read as text
                        _ => throw new InvalidOperationException("The column cannot be read as text."),
                    };
                    break;
            }
        }
    }

    private abstract class Step
    {
        public abstract void Run(Registers r);
    }

    private sealed class ReplaceSingle(int source, int target, float value) : Step
    {
        public override void Run(Registers r)
        {
            var x = r.Singles[source];
            r.Singles[target] = float.IsNaN(x) ? value : x;
        }
    }

    private sealed class ReplaceDouble(int source, int target, double value) : Step
    {
        public override void Run(Registers r)
        {
            var x = r.Doubles[source];
            r.Doubles[target] = double.IsNaN(x) ? value : x;
        }
    }

    private sealed class DoubleToSingle(int source, int target) : Step
    {
        public override void Run(Registers r) => r.Singles[target] = (float)r.Doubles[source];
    }

    private sealed class SingleToDouble(int source, int target) : Step
    {
        public override void Run(Registers r) => r.Doubles[target] = r.Singles[source];
    }

    /// <summary>An ML.NET expression: its own compiled delegate, called through an invoker shared by every delegate of the same signature.</summary>
    private sealed class Call(Delegate function, Action<Delegate, Registers, int[], int> invoke, int[] inputs, int output) : Step
    {
        public override void Run(Registers r) => invoke(function, r, inputs, output);
    }

    /// <summary>A text's key by the transformer's own term list: term index + 1; an unknown or empty text is key 0 (missing).</summary>
    private sealed class TermKey(int source, int target, Dictionary<string, int> terms) : Step
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();

        public override void Run(Registers r) =>
            r.Keys[target] = _lookup.TryGetValue(r.Texts[source].Span, out var index) ? (uint)index + 1 : 0;
    }

    /// <summary>A text's hash key as ML.NET's hashing transform computes it: Murmur of the text trimmed of spaces, masked, plus one; empty text is key 0.</summary>
    private sealed class HashKey(int source, int target, uint seed, uint mask) : Step
    {
        public override void Run(Registers r)
        {
            var text = r.Texts[source];
            r.Keys[target] = text.IsEmpty ? 0 : (MlHashing.Murmur(seed, text.Span.Trim(' ')) & mask) + 1;
        }
    }

    /// <summary>A key as an indicator vector: slot key − 1 set to one, none for key 0.</summary>
    private sealed class Indicator(int source, int offset, int length) : Step
    {
        public override void Run(Registers r)
        {
            var slots = r.Vectors.AsSpan(offset, length);
            slots.Clear();
            var key = r.Keys[source];
            if (key != 0 && key <= (uint)length)
            {
                slots[(int)key - 1] = 1f;
            }
        }
    }

    /// <summary>ML.NET's own text hash (internal to Microsoft.ML.Core), bound once.</summary>
    private static class MlHashing
    {
        public delegate uint TextHash(uint seed, ReadOnlySpan<char> data, bool toUpper);

        private static readonly TextHash? Hash = Bind();

        public static bool Available => Hash is not null;

        public static uint Murmur(uint seed, ReadOnlySpan<char> text) => Hash!(seed, text, false);

        private static TextHash? Bind()
        {
            var method = typeof(VBuffer<>).Assembly.GetType("Microsoft.ML.Internal.Utilities.Hashing")
                ?.GetMethod("MurmurHash", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(uint), typeof(ReadOnlySpan<char>), typeof(bool)]);
            return method is null ? null : (TextHash?)Delegate.CreateDelegate(typeof(TextHash), method, throwOnBindFailure: false);
        }
    }

    private sealed class Builder(DataViewSchema inputSchema)
    {
        private readonly Dictionary<string, Register> _columns = new(StringComparer.Ordinal);
        private readonly List<Step> _steps = [];
        private readonly List<Input> _inputs = [];
        private int _singles, _doubles, _texts, _bools, _keys, _vector;

        public FlatRules Build(ITransformer rules, string featuresColumn, string? entityKeyColumn)
        {
            for (var c = 0; c < inputSchema.Count; c++)
            {
                var column = inputSchema[c];
                var register = New(KindOf(column.Type));
                _columns[column.Name] = register;
                _inputs.Add(new Input(c, register));
            }

            if (rules is not IEnumerable<ITransformer> chain)
            {
                throw new NotSupportedException("the rules are not a chain of transforms");
            }

            FeatureSource[]? features = null;
            var featureCount = 0;
            var schema = inputSchema;
            foreach (var transformer in Flatten(chain))
            {
                var before = schema;
                schema = transformer.GetOutputSchema(before);
                switch (transformer)
                {
                    case ColumnCopyingTransformer copy:
                        foreach (var (output, input) in Pairs(copy))
                        {
                            _columns[output] = Column(input);
                        }

                        break;
                    case MissingValueReplacingTransformer replace:
                        AddReplace(replace);
                        break;
                    case TypeConvertingTransformer convert:
                        foreach (var options in Options(convert))
                        {
                            AddConvert((string)Member(options, "InputColumnName"), (string)Member(options, "Name"), (DataKind)Member(options, "OutputKind"));
                        }

                        break;
                    case ValueToKeyMappingTransformer toKeys:
                        AddTermKeys(toKeys, schema);
                        break;
                    case HashingTransformer hashing:
                        AddHashKeys(hashing, schema);
                        break;
                    case KeyToVectorMappingTransformer toVector:
                        AddIndicators(toVector);
                        break;
                    case ColumnConcatenatingTransformer concat:
                        var (name, sources) = Concat(concat);
                        if (name == featuresColumn)
                        {
                            features = sources.Select(s =>
                            {
                                var register = Column(s);
                                if (register.Kind is not (Kind.Single or Kind.Vector)) throw new NotSupportedException("unsupported form (FlatRules.cs line 355)");
                                featureCount += register.Length;
                                return new FeatureSource(register.Index, register.Length, register.Kind == Kind.Vector);
                            }).ToArray();
                        }

                        _columns.Remove(name); // read only as the features
                        break;
                    default:
                        if (transformer.GetType().FullName == "Microsoft.ML.Transforms.ExpressionTransformer")
                        {
                            AddExpressions(transformer);
                            break;
                        }

                        throw new NotSupportedException($"{transformer.GetType().Name} is not reproduced");
                }
            }

            if (features is null)
            {
                throw new NotSupportedException($"no concatenation makes '{featuresColumn}'");
            }

            int? key = null;
            if (entityKeyColumn is not null && _columns.TryGetValue(entityKeyColumn, out var k))
            {
                key = k.Kind == Kind.Text ? k.Index : throw new NotSupportedException("unsupported form (FlatRules.cs line 382)");
            }

            return new FlatRules(_steps.ToArray(), _inputs.ToArray(), new Layout(_singles, _doubles, _texts, _bools, _keys, _vector), features, featureCount, key);
        }

        /// <summary>
        /// The chain's transforms in order, with nested chains opened (a rule step may fit to a chain of its own) and the
        /// one-hot wrappers opened into their two steps, values (or hashes) to keys and keys to vectors — as a saved and
        /// loaded model holds them anyway.
        /// </summary>
        private static IEnumerable<ITransformer> Flatten(IEnumerable<ITransformer> chain) =>
            chain.SelectMany(t => t switch
            {
                TransformerChain<ITransformer> inner => Flatten(inner),
                OneHotEncodingTransformer or OneHotHashEncodingTransformer => Field(t, "_transformer") is IEnumerable<ITransformer> inner
                    ? Flatten(inner) : throw new NotSupportedException("a one-hot encoding without its inner chain"),
                _ => [t],
            });

        private Register Column(string name) => _columns.TryGetValue(name, out var r) ? r : throw new NotSupportedException($"column '{name}' is not made by a reproduced step");

        private static Kind KindOf(DataViewType type) => type switch
        {
            NumberDataViewType n when n == NumberDataViewType.Single => Kind.Single,
            NumberDataViewType n when n == NumberDataViewType.Double => Kind.Double,
            TextDataViewType => Kind.Text,
            BooleanDataViewType => Kind.Bool,
            _ => throw new NotSupportedException($"values of type {type} are not reproduced"),
        };

        private Register New(Kind kind, int length = 1) => kind switch
        {
            Kind.Single => new Register(kind, _singles++),
            Kind.Double => new Register(kind, _doubles++),
            Kind.Text => new Register(kind, _texts++),
            Kind.Bool => new Register(kind, _bools++),
            Kind.Key => new Register(kind, _keys++, length),
            _ => new Register(kind, (_vector += length) - length, length),
        };

        private static IEnumerable<(string Output, string Input)> Pairs(object transformer) =>
            ((IEnumerable<(string, string)>)Field(transformer, "ColumnPairs")).ToArray();

        /// <summary>A transformer's column options (its internal <c>_columns</c>).</summary>
        private static object[] Options(object transformer) => ((IEnumerable)Field(transformer, "_columns")).Cast<object>().ToArray();

        /// <summary>A public field or property of an options object.</summary>
        private static object Member(object target, string name) =>
            target.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public)?.GetValue(target) ?? Field(target, name);

        private static object Field(object target, string name)
        {
            for (var type = target.GetType(); type is not null; type = type.BaseType)
            {
                if (type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } field)
                {
                    return field.GetValue(target) ?? throw new NotSupportedException("unsupported form (FlatRules.cs line 422)");
                }
            }

            throw new NotSupportedException("unsupported form (FlatRules.cs line 426)");
        }

        private void AddReplace(MissingValueReplacingTransformer replace)
        {
            var values = (object[])Field(replace, "_repValues");
            var pairs = Pairs(replace).ToArray();
            for (var i = 0; i < pairs.Length; i++)
            {
                var source = Column(pairs[i].Input);
                switch (source.Kind, values[i])
                {
                    case (Kind.Single, float f):
                        var s = New(Kind.Single);
                        _steps.Add(new ReplaceSingle(source.Index, s.Index, f));
                        _columns[pairs[i].Output] = s;
                        break;
                    case (Kind.Double, double d):
                        var t = New(Kind.Double);
                        _steps.Add(new ReplaceDouble(source.Index, t.Index, d));
                        _columns[pairs[i].Output] = t;
                        break;
                    default:
                        throw new NotSupportedException("unsupported form (FlatRules.cs line 449)");
                }
            }
        }

        private void AddConvert(string input, string output, DataKind kind)
        {
            var source = Column(input);
            switch (source.Kind, kind)
            {
                case (Kind.Single, DataKind.Single):
                case (Kind.Double, DataKind.Double):
                    _columns[output] = source;
                    break;
                case (Kind.Double, DataKind.Single):
                    var s = New(Kind.Single);
                    _steps.Add(new DoubleToSingle(source.Index, s.Index));
                    _columns[output] = s;
                    break;
                case (Kind.Single, DataKind.Double):
                    var d = New(Kind.Double);
                    _steps.Add(new SingleToDouble(source.Index, d.Index));
                    _columns[output] = d;
                    break;
                default:
                    throw new NotSupportedException("unsupported form (FlatRules.cs line 474)");
            }
        }

        private void AddTermKeys(ValueToKeyMappingTransformer toKeys, DataViewSchema after)
        {
            foreach (var (output, input) in Pairs(toKeys))
            {
                var source = Column(input);
                if (source.Kind != Kind.Text || after[output].Type is not KeyDataViewType { Count: > 0 and <= 1 << 24 } type)
                {
                    throw new NotSupportedException($"keys of '{input}' are not reproduced");
                }

                var names = default(VBuffer<ReadOnlyMemory<char>>);
                after[output].GetKeyValues(ref names);
                var terms = new Dictionary<string, int>(StringComparer.Ordinal);
                var index = 0;
                foreach (var term in names.DenseValues())
                {
                    terms.TryAdd(term.ToString(), index++);
                }

                if (index != (int)type.Count)
                {
                    throw new NotSupportedException($"the terms of '{input}' do not match its key count");
                }

                var target = New(Kind.Key, (int)type.Count);
                _steps.Add(new TermKey(source.Index, target.Index, terms));
                _columns[output] = target;
            }
        }

        private void AddHashKeys(HashingTransformer hashing, DataViewSchema after)
        {
            if (!MlHashing.Available)
            {
                throw new NotSupportedException("ML.NET's hash function is not reachable");
            }

            foreach (var options in Options(hashing))
            {
                var (output, input) = ((string)Member(options, "Name"), (string)Member(options, "InputColumnName"));
                var source = Column(input);
                var bits = (int)Member(options, "NumberOfBits");
                if (source.Kind != Kind.Text || (bool)Member(options, "UseOrderedHashing") || (bool)Member(options, "Combine") || bits is < 1 or > 24
                    || after[output].Type is not KeyDataViewType type || type.Count != 1UL << bits)
                {
                    throw new NotSupportedException($"the hashing of '{input}' is not reproduced");
                }

                var target = New(Kind.Key, 1 << bits);
                _steps.Add(new HashKey(source.Index, target.Index, (uint)Member(options, "Seed"), (1u << bits) - 1));
                _columns[output] = target;
            }
        }

        private void AddIndicators(KeyToVectorMappingTransformer toVector)
        {
            foreach (var options in Options(toVector))
            {
                var (output, input) = ((string)Member(options, "Name"), (string)Member(options, "InputColumnName"));
                var source = Column(input);
                if (source.Kind != Kind.Key || (bool)Member(options, "OutputCountVector"))
                {
                    throw new NotSupportedException($"the vector of '{input}' is not reproduced");
                }

                var target = New(Kind.Vector, source.Length);
                _steps.Add(new Indicator(source.Index, target.Index, source.Length));
                _columns[output] = target;
            }
        }

        private static (string Name, string[] Sources) Concat(ColumnConcatenatingTransformer concat)
        {
            var columns = ((IEnumerable)Field(concat, "_columns")).Cast<object>().ToArray();
            if (columns is not [var column])
            {
                throw new NotSupportedException("unsupported form (FlatRules.cs line 540)");
            }

            var name = (string)Member(column, "Name");
            var sources = ((IEnumerable)Field(column, "_sources")).Cast<object>()
                .Select(s => ((ValueTuple<string, string?>)s) is var (n, alias) && alias is null ? n : throw new NotSupportedException("unsupported form (FlatRules.cs line 545)")).ToArray();
            return (name, sources);
        }

        private void AddExpressions(ITransformer expression)
        {
            foreach (var info in ((IEnumerable)Field(expression, "_columns")).Cast<object>())
            {
                var output = (string)Field(info, "OutputColumnName");
                var inputs = (string[])Field(info, "InputColumnNames");
                var function = (Delegate)Field(info, "Del");
                var perm = (int[])Field(info, "Perm");
                if ((int)Field(info, "VectorInputColumn") >= 0 || perm.Length != inputs.Length)
                {
                    throw new NotSupportedException("unsupported form (FlatRules.cs line 559)");
                }

                var types = function.GetType().GetGenericArguments();
                if (types.Length != inputs.Length + 1)
                {
                    throw new NotSupportedException("unsupported form (FlatRules.cs line 565)");
                }

                // The delegate's k-th argument is input column perm[k].
                var registers = new Register[inputs.Length];
                for (var k = 0; k < inputs.Length; k++)
                {
                    registers[k] = Column(inputs[perm[k]]);
                    if (types[k] != TypeOf(registers[k].Kind))
                    {
                        throw new NotSupportedException("unsupported form (FlatRules.cs line 575)");
                    }
                }

                var result = New(KindOf(types[^1]));
                _steps.Add(new Call(function, Invokers.For(function.GetType(), registers.Select(r => r.Kind).ToArray(), result.Kind),
                    registers.Select(r => r.Index).ToArray(), result.Index));
                _columns[output] = result;
            }
        }

        private static Kind KindOf(Type type) =>
            type == typeof(float) ? Kind.Single : type == typeof(double) ? Kind.Double : type == typeof(ReadOnlyMemory<char>) ? Kind.Text : type == typeof(bool) ? Kind.Bool
            : throw new NotSupportedException($"expression values of type {type.Name} are not reproduced");

        private static Type TypeOf(Kind kind) => kind switch
        {
            Kind.Single => typeof(float),
            Kind.Double => typeof(double),
            Kind.Text => typeof(ReadOnlyMemory<char>),
            Kind.Bool => typeof(bool),
            _ => throw new NotSupportedException("unsupported form (FlatRules.cs line 594)"),
        };
    }

    /// <summary>
    /// Calls an expression's delegate with arguments read from registers and stores its result: one compiled invoker per
    /// delegate signature, shared by every model (the delegates themselves are ML.NET's).
    /// </summary>
    private static class Invokers
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Action<Delegate, Registers, int[], int>> Cache = new();

        public static Action<Delegate, Registers, int[], int> For(Type delegateType, Kind[] inputs, Kind output) =>
            Cache.GetOrAdd($"{delegateType.FullName}|{string.Join(',', inputs)}|{output}", _ => Compile(delegateType, inputs, output));

        private static Action<Delegate, Registers, int[], int> Compile(Type delegateType, Kind[] inputs, Kind output)
        {
            var function = Expression.Parameter(typeof(Delegate), "function");
            var r = Expression.Parameter(typeof(Registers), "r");
            var indexes = Expression.Parameter(typeof(int[]), "inputs");
            var target = Expression.Parameter(typeof(int), "output");
            Expression Bank(Kind kind) => Expression.Field(r, kind switch
            {
                Kind.Single => nameof(Registers.Singles),
                Kind.Double => nameof(Registers.Doubles),
                Kind.Bool => nameof(Registers.Bools),
                _ => nameof(Registers.Texts),
            });
            var arguments = inputs.Select((kind, k) => (Expression)Expression.ArrayIndex(Bank(kind), Expression.ArrayIndex(indexes, Expression.Constant(k))));
            var call = Expression.Invoke(Expression.Convert(function, delegateType), arguments);
            var store = Expression.Assign(Expression.ArrayAccess(Bank(output), target), call);
            return Expression.Lambda<Action<Delegate, Registers, int[], int>>(store, function, r, indexes, target).Compile();
        }
    }
}
