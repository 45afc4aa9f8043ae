using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// A trained model: the fitted feature rules and the trainer's model in one ML.NET transformer chain, with its report.
/// <see cref="Save"/> writes one self-contained artifact (the chain and the report) that <see cref="Load"/> reads back.
/// Scores whole raw tables (<see cref="Score"/>) or one row at a time (<see cref="CreateRowScorer"/>).
/// </summary>
public sealed class TrainedModel
{
    private const string ModelEntry = "model.zip";
    private const string ReportEntry = "report.json";
    private const string InputEntry = "input.json";
    private const string HoldoutEntry = "holdout.zip";

    private readonly MLContext _ml;
    private readonly ModelInput _input;
    private readonly DataViewSchema _inputSchema;
    /// <summary>The model's ML.NET context is not meant for several threads: evaluations and explanations take turns.</summary>
    private readonly Lock _contextGate = new();

    internal TrainedModel(MLContext ml, ITransformer chain, ModelInput input, ModelReport report, ITransformer? holdout = null, bool isHoldout = false)
    {
        _isHoldout = isHoldout;
        _ml = ml;
        Chain = chain;
        _input = input;
        _inputSchema = RawTableDataView.SchemaFor(input.Columns, input.IdentifierColumns);
        Report = report;
        Holdout = holdout is null ? null : new TrainedModel(ml, holdout, input, report, isHoldout: true);
    }

    public ModelReport Report { get; }

    /// <summary>The class names in this chain's key order: the served classes, or the tested fit's for a holdout fit.</summary>
    private IReadOnlyList<string>? ServedClassesOfChain => _isHoldout ? Report.Validation?.Classes ?? Report.Test.Classes : Report.ServedClasses;

    private readonly bool _isHoldout;

    /// <summary>
    /// The same recipe fitted on the training rows only, kept when training asked for it
    /// (<see cref="TrainingSettings.KeepHoldout"/>): a pooled model's tenants compare their own models with it on
    /// validation rows the served pool was fitted on. Null otherwise.
    /// </summary>
    public TrainedModel? Holdout { get; }

    /// <summary>What the artifact records of its input, for <see cref="CanonicalMapping"/>.</summary>
    internal ModelInput Input => _input;

    internal DataViewSchema InputSchema => _inputSchema;

    internal MLContext Context => _ml;

    /// <summary>Rules and trainer as one ML.NET transformer, reading raw rows (<see cref="RawTableDataView"/>).</summary>
    public ITransformer Chain { get; }

    /// <summary>The raw columns (names and types, in order) a table to score must have: the training data's.</summary>
    public IReadOnlyList<RawColumn> InputColumns => _input.Columns;

    /// <summary>
    /// The raw columns a row must bring to be scored: those the features read. Other input columns (the label, unused
    /// columns of the training data) may be left out and are read as missing. Artifacts written before this was
    /// recorded require every input column.
    /// </summary>
    public IReadOnlyList<string> RequiredColumns => _input.FeatureColumns ?? _input.Columns.Select(c => c.Name).ToArray();

    /// <summary>Number columns the model reads as exact text (a numeric entity key).</summary>
    public IReadOnlyCollection<string> IdentifierColumns => _input.IdentifierColumns;

    /// <summary>Scores every row of <paramref name="table"/>.</summary>
    public IReadOnlyList<ModelScore> Score(RawTable table)
    {
        var scored = Chain.Transform(View(table));
        var reader = ScoreReader.For(scored.Schema, Report);
        using var cursor = scored.OpenSerialCursor(reader.Columns);
        var read = reader.Bind(cursor);
        var result = new List<ModelScore>(table.RowCount);
        while (cursor.MoveNext())
        {
            result.Add(read());
        }

        return result;
    }

    /// <summary>
    /// Scores every row of <paramref name="table"/> into columns (batch scoring): row i's score into
    /// <paramref name="scores"/>[i] and, when <paramref name="keys"/> is given, its entity key into keys[i]. The same
    /// scores as <see cref="Score(RawTable)"/>, with no object per row. Binary and regression models; several threads may
    /// score with one model at once.
    /// </summary>
    public void ScoreInto(RawTable table, Span<double> scores, Span<string?> keys)
    {
        var scored = Chain.Transform(View(table));
        var reader = ScoreReader.For(scored.Schema, Report);
        using var cursor = scored.OpenSerialCursor(reader.Columns);
        var rows = reader.ReadInto(cursor, scores, keys);
        if (rows != table.RowCount)
        {
            throw new InvalidOperationException($"The model scored {rows} of {table.RowCount} rows.");
        }
    }

    /// <summary>
    /// A scorer for one row at a time (real-time serving): the chain is bound once to a row whose values are swapped in
    /// per call (<see cref="RawRowMapper"/>), so a call costs only the transforms' and the trainer's own work. Not
    /// thread-safe: keep one per thread or pool them, as with ML.NET's PredictionEngine.
    /// </summary>
    public ModelRowScorer CreateRowScorer()
    {
        var output = Chain.GetOutputSchema(_inputSchema);
        var tree = TreeStage();
        if (!_flatRulesRejected && FlatProgram() is { } program)
        {
            return new ModelRowScorer(program.NewScorer());
        }

        if (tree is { } t && Flat(t) is { } flat)
        {
            var key = output.GetColumnOrNull(RuleCompiler.EntityKeyColumn)?.Name;
            var rules = new RawRowMapper(t.Rules, _inputSchema, key is null ? [t.Features] : [t.Features, key]);
            return new ModelRowScorer(rules, new FlatTreeReader(flat, t.Features, key));
        }

        var reader = ScoreReader.For(output, Report);
        var columns = reader.Columns.Select(c => c.Name);
        var mapper = tree is { } stage
            ? new RawRowMapper(stage.Rules, stage.Model, stage.Features, _inputSchema, columns)
            : new RawRowMapper(Chain, _inputSchema, columns);
        return new ModelRowScorer(mapper, reader);
    }

    /// <summary>Whether rows are scored one at a time by <see cref="FlatTrees"/> (a FastTree binary or regression model) rather than by ML.NET's trees.</summary>
    public bool ScoresRowsFlat => TreeStage() is { } t && Flat(t) is not null;

    /// <summary>
    /// How one row at a time is scored: "flat rules" when the fitted rules run as a <see cref="FlatRules"/> program
    /// (then the trees flat too, or ML.NET's predictor on the features), "ML.NET" otherwise.
    /// </summary>
    public string RowScoring => _flatRulesRejected ? "ML.NET (the flat rules differed from ML.NET's)"
        : FlatProgram() is not null ? "flat rules"
        : $"ML.NET ({_flatScoringWhy})";

    /// <summary>The flat copy of the trees, made once per model and shared by its row scorers; null when ML.NET scores.</summary>
    private FlatTrees? Flat((ITransformer Rules, ITransformer Model, string Features, object Parameters) stage) =>
        LazyInitializer.EnsureInitialized(ref _flat, ref _flatMade, ref _flatGate, () =>
            stage.Rules.GetOutputSchema(_inputSchema).GetColumnOrNull(stage.Features)?.Type is VectorDataViewType { Size: > 0 } vector
                ? FlatTrees.TryCreate(stage.Parameters, vector.Size)
                : null);

    private FlatTrees? _flat;
    private bool _flatMade;
    private object? _flatGate;

    /// <summary>The rules as a flat program with the predictor behind them, made once per model; null when ML.NET maps the rows.</summary>
    private FlatScoring? FlatProgram() =>
        LazyInitializer.EnsureInitialized(ref _flatScoring, ref _flatScoringMade, ref _flatScoringGate, () => FlatScoring.TryCreate(this, out _flatScoringWhy));

    private FlatScoring? _flatScoring;
    private bool _flatScoringMade;
    private object? _flatScoringGate;
    private string? _flatScoringWhy; // why ML.NET maps the rows, when it does
    private volatile bool _flatRulesRejected;

    /// <summary>
    /// The first rows a model scores through <see cref="FlatRules"/> are also featurized by ML.NET and compared bit for
    /// bit: a difference (a transform the flat program gets wrong) turns the flat rules off for this model for good, and
    /// every scorer made afterwards maps rows with ML.NET. Raised with what differed, so the host can log it.
    /// </summary>
    public event Action<string>? FlatRulesMismatch;

    internal void RejectFlatRules(string why)
    {
        _flatRulesRejected = true;
        FlatRulesMismatch?.Invoke(why);
    }

    internal bool FlatRulesRejected => _flatRulesRejected;

    /// <summary>The flat trees of a FastTree model (shared by its scorers); null for any other model.</summary>
    internal FlatTrees? FlatTreesOrNull() => TreeStage() is { } t ? Flat(t) : null;

    /// <summary>The rules and the trainer's model when the model is a tree ensemble (calibrated or not); null otherwise.</summary>
    internal (ITransformer Rules, ITransformer Model, string Features, object Parameters)? TreeStage()
    {
        if (Chain is not TransformerChain<ITransformer> chain || chain.Count() != 2
            || chain.Last() is not ISingleFeaturePredictionTransformer<object> predictor)
        {
            return null;
        }

        var model = predictor.Model;
        // A calibrated model wraps the trees: CalibratedModelParametersBase<TSubModel, TCalibrator>.SubModel.
        var calibrated = model.GetType();
        while (calibrated is not null && !(calibrated.IsGenericType
                   && calibrated.GetGenericTypeDefinition() == typeof(Microsoft.ML.Calibrators.CalibratedModelParametersBase<,>)))
        {
            calibrated = calibrated.BaseType;
        }

        var sub = calibrated?.GetProperty("SubModel", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            ?.GetValue(model);
        return model is Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParameters || sub is Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParameters
            ? (chain.First(), chain.Last(), predictor.FeatureColumnName, model)
            : null;
    }

    /// <summary>
    /// Per-row feature contributions for every row of <paramref name="rows"/> (real-time "explain"), in stated units
    /// with their base value (<see cref="ModelExplainer"/>), most influential feature first; null for an artifact written
    /// before explanations kept their background rows (retraining keeps them). Calls on one model take turns.
    /// </summary>
    public IReadOnlyList<RowExplanation>? Explain(RawTable rows)
    {
        if (_input.FeatureSlots is not { } groups || _input.Background is not { } background
            || Chain is not TransformerChain<ITransformer> chain || chain.Count() != 2)
        {
            return null;
        }

        lock (_contextGate)
        {
            var featurized = chain.First().Transform(View(rows));
            var matrix = FeatureMatrix.Read(featurized, Report.Task);
            return ModelExplainer.ExplainAll(chain.Last(), matrix, groups, Report.Task, ServedClassesOfChain ?? [], background);
        }
    }

    /// <summary>
    /// Each feature of <paramref name="rows"/> (as this model's fitted rules clean it) and the model's output on them,
    /// compared with the training distributions kept in <see cref="ModelReport.Baselines"/>: empty for a version trained
    /// before baselines were kept. Calls on one model take turns.
    /// </summary>
    public IReadOnlyList<Monitoring.FeatureDrift> Drift(RawTable rows, Monitoring.DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (Report.Baselines.Count == 0 || Chain is not TransformerChain<ITransformer> chain)
        {
            return [];
        }

        lock (_contextGate)
        {
            var view = View(rows);
            var (scores, classes) = ModelTrainer.OutputsOf(Chain.Transform(view), Report.Task, Report.ServedClasses);
            return Monitoring.ModelBaselines.Compare(Report.Baselines, chain.First().Transform(view), _input.FeatureValues ?? [], thresholds, scores, classes);
        }
    }

    /// <summary>
    /// <see cref="Drift"/> for many windows of <paramref name="rows"/> at once (each window: row indices), with one pass of
    /// the rules over all rows. The prediction's drift uses <paramref name="scores"/> (binary: probabilities, regression:
    /// values) or <paramref name="classes"/> (multiclass: labels) per window when given — the stored predictions — and
    /// otherwise this model's own outputs on the window's rows. <paramref name="spanDays"/>: the days each window covers,
    /// which decides the calendar parts compared (null: all). Empty for a version trained before baselines were kept.
    /// Calls on one model take turns.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Monitoring.FeatureDrift>> DriftWindows(
        RawTable rows, IReadOnlyList<int[]> windows, Monitoring.DriftThresholds thresholds,
        IReadOnlyList<double[]>? scores = null, IReadOnlyList<IReadOnlyList<string?>?>? classes = null, IReadOnlyList<int?>? spanDays = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (Report.Baselines.Count == 0 || Chain is not TransformerChain<ITransformer> chain)
        {
            return [];
        }

        lock (_contextGate)
        {
            var view = View(rows);
            if (scores is null && classes is null)
            {
                var (all, allClasses) = ModelTrainer.OutputsOf(Chain.Transform(view), Report.Task, Report.ServedClasses);
                scores = windows.Select(w => all.Length == 0 ? [] : w.Select(i => all[i]).ToArray()).ToArray();
                classes = allClasses is null ? null : windows.Select(w => (IReadOnlyList<string?>?)w.Select(i => allClasses[i]).ToArray()).ToArray();
            }

            scores ??= windows.Select(_ => Array.Empty<double>()).ToArray();
            return Monitoring.ModelBaselines.CompareWindows(Report.Baselines, chain.First().Transform(view), _input.FeatureValues ?? [],
                thresholds, windows, scores, classes, spanDays);
        }
    }

    /// <summary>
    /// The monitored columns of <paramref name="rows"/> (after this model's rules) and the stored outputs counted into the
    /// baselines' bins per day (<see cref="Monitoring.ModelBaselines.CountDays"/>); empty without baselines. Calls on one model take turns.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, Monitoring.BinCounts>> DriftDayCounts(
        RawTable rows, IReadOnlyList<int[]> days, IReadOnlyList<double[]> scores, IReadOnlyList<IReadOnlyList<string?>?>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Report.Baselines.Count == 0 || Chain is not TransformerChain<ITransformer> chain)
        {
            return [];
        }

        lock (_contextGate)
        {
            return Monitoring.ModelBaselines.CountDays(Report.Baselines, chain.First().Transform(View(rows)), _input.FeatureValues ?? [], days, scores, classes);
        }
    }

    /// <summary>
    /// Metrics of this model on rows with labels (e.g. a tenant's test split mapped onto the same columns); rows whose
    /// label is missing are left out, as in training. Calls on one model take turns.
    /// </summary>
    public ModelMetrics Evaluate(RawTable rows)
    {
        lock (_contextGate)
        {
            return EvaluateCore(rows);
        }
    }

    private ModelMetrics EvaluateCore(RawTable rows) => ModelEvaluator.Evaluate(_ml, ScoredLabelled(rows), Report.Task, ServedClassesOfChain,
        threshold: Report.Threshold, seed: Report.Seed);

    /// <summary>This model's outputs on the rows with a label (others left out, as in training), for paired comparisons. Calls on one model take turns.</summary>
    public ScoredRows ScoreLabelled(RawTable rows)
    {
        lock (_contextGate)
        {
            return ScoredRows.Read(ScoredLabelled(rows), Report.Task);
        }
    }

    private IDataView ScoredLabelled(RawTable rows)
    {
        var scored = Chain.Transform(View(rows));
        if (_input.LabelKnownColumn is { } knownColumn && scored.Schema.GetColumnOrNull(knownColumn) is not null)
        {
            var known = scored.ReadColumn<bool>(knownColumn);
            if (known.Contains(false))
            {
                scored = Chain.Transform(View(RawTableRows.Select(rows, Enumerable.Range(0, rows.RowCount).Where(r => known[r]).ToArray())));
            }
        }

        return scored;
    }

    /// <summary>Writes a zip holding the ML.NET model (<c>model.zip</c>), the report and the input columns as JSON.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var model = zip.CreateEntry(ModelEntry, CompressionLevel.NoCompression).Open())
        {
            _ml.Model.Save(Chain, _inputSchema, model);
        }

        if (Holdout is not null)
        {
            using var holdout = zip.CreateEntry(HoldoutEntry, CompressionLevel.NoCompression).Open();
            _ml.Model.Save(Holdout.Chain, _inputSchema, holdout);
        }

        Write(zip, ReportEntry, ModelReportJson.Write(Report));
        Write(zip, InputEntry, JsonSerializer.Serialize(_input, ModelReportJson.Options));
    }

    /// <summary>Only the report of an artifact written by <see cref="Save"/>, without loading the ML.NET model.</summary>
    /// <exception cref="InvalidDataException">The stream is not such an artifact.</exception>
    public static ModelReport ReadReport(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        return ModelReportJson.Read(Read(zip, ReportEntry));
    }

    /// <exception cref="InvalidDataException">The stream is not an artifact written by <see cref="Save"/>.</exception>
    public static TrainedModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var report = ModelReportJson.Read(Read(zip, ReportEntry));
        var input = JsonSerializer.Deserialize<ModelInput>(Read(zip, InputEntry), ModelReportJson.Options)
            ?? throw new InvalidDataException("The model artifact's input columns are empty.");
        var ml = MlContextFactory.Create(report.Seed);
        var chain = LoadChain(ml, Entry(zip, ModelEntry));
        var holdout = zip.GetEntry(HoldoutEntry) is { } entry ? LoadChain(ml, entry) : null;
        return new TrainedModel(ml, chain, input, report, holdout);
    }

    private static ITransformer LoadChain(MLContext ml, ZipArchiveEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var model = entry.Open())
        {
            model.CopyTo(buffer);
        }

        buffer.Position = 0;
        return ml.Model.Load(buffer, out _);
    }

    private IDataView View(RawTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!RawTableDataView.Fits(table, _inputSchema))
        {
            throw new ArgumentException(
                $"The rows' columns ({string.Join(", ", table.Schema.Select(c => $"{c.Name}:{c.Type}"))}) are not the ones the model was trained on ({string.Join(", ", _input.Columns.Select(c => $"{c.Name}:{c.Type}"))}).",
                nameof(table));
        }

        return new RawTableDataView(table, _input.IdentifierColumns);
    }

    private static void Write(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(Entry(zip, name).Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"The model artifact has no '{name}'.");
}

/// <summary>
/// The raw columns a model reads, which number columns it reads as text (a numeric entity key), and the rules' column
/// telling whether a row has a label.
/// </summary>
/// <param name="FeatureColumns">The raw columns the features read; null in artifacts written before it was recorded.</param>
/// <param name="FeatureSlots">Which slots of the feature vector each feature fills (for per-row explanations); null in older artifacts.</param>
/// <param name="FeatureValues">Where the fitted rules leave each feature's cleaned value (what a pooled model reads of this
/// tenant, see <see cref="CanonicalMapping"/>); null in older artifacts.</param>
/// <param name="Background">The training rows per-row explanations start from; null in older artifacts.</param>
public sealed record ModelInput(
    IReadOnlyList<RawColumn> Columns, IReadOnlyList<string> IdentifierColumns, string? LabelKnownColumn = null, IReadOnlyList<string>? FeatureColumns = null,
    IReadOnlyList<FeatureGroup>? FeatureSlots = null, IReadOnlyList<FeatureValue>? FeatureValues = null, Background? Background = null);

/// <summary>One feature's cleaned value in the fitted rules' output: the feature's name and type, and the pipeline column.</summary>
public sealed record FeatureValue(string Feature, FeatureType Type, string Column)
{
    /// <summary>Date-times: the parts the model reads, which drift is measured on (never the raw time). Null in inputs recorded before.</summary>
    public IReadOnlyList<DatePart>? DateParts { get; init; }

    /// <summary>The rule in words ("feature 'created' (date-time, column 'created_at')"), for the monitored columns.</summary>
    public string? Rule { get; init; }
}

/// <summary>Scores one raw row at a time (see <see cref="TrainedModel.CreateRowScorer"/>); not thread-safe.</summary>
public sealed class ModelRowScorer
{
    private readonly RawRowMapper _mapper;
    private readonly ScoreReader? _reader;
    private readonly FlatTreeReader? _trees;
    private Func<ModelScore>? _read;

    internal ModelRowScorer(RawRowMapper mapper, ScoreReader reader)
    {
        _mapper = mapper;
        _reader = reader;
    }

    /// <param name="rules">Maps raw rows to the rules' output (the feature vector and the entity key), which <paramref name="trees"/> scores.</param>
    internal ModelRowScorer(RawRowMapper rules, FlatTreeReader trees)
    {
        _mapper = rules;
        _trees = trees;
    }

    internal ModelRowScorer(FlatScoring.Scorer flat)
    {
        _mapper = null!;
        _flat = flat;
    }

    private readonly FlatScoring.Scorer? _flat;

    public ModelScore Score(RawTable table, int row)
    {
        if (_flat is not null)
        {
            return _flat.Score(table, row);
        }

        var output = _mapper.Map(table, row);
        if (_trees is not null)
        {
            return _trees.Score(output);
        }

        _read ??= _reader!.Bind(output);
        return _read();
    }
}
