using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>A rule set compiled for one raw schema: the estimator to fit, and what each feature became.</summary>
public sealed class CompiledRules
{
    internal CompiledRules(MLContext ml, TaskType task, IReadOnlyList<RawColumn> columns, IReadOnlyCollection<string> identifierColumns,
        IEstimator<ITransformer> estimator, IReadOnlyList<CompiledFeature> features, CompiledLabel label)
    {
        Context = ml;
        Task = task;
        RawColumns = columns;
        IdentifierColumns = identifierColumns;
        InputSchema = RawTableDataView.SchemaFor(columns, identifierColumns);
        Estimator = estimator;
        Features = features;
        Label = label;
    }

    public MLContext Context { get; }

    public TaskType Task { get; }

    public IReadOnlyList<RawColumn> RawColumns { get; }

    /// <summary>The raw columns the features read (sources and expression inputs): what a row to score must have.</summary>
    public IReadOnlyList<string> FeatureColumns { get; init; } = [];

    /// <summary>Number columns read as exact text: a numeric entity key.</summary>
    public IReadOnlyCollection<string> IdentifierColumns { get; }

    /// <summary>The rows as the compiled pipeline reads them.</summary>
    public IDataView View(RawTable data) => new RawTableDataView(Conform(data), IdentifierColumns);

    /// <summary>The schema rows are read with (<see cref="RawTableDataView.SchemaFor"/>); save the model with it.</summary>
    public DataViewSchema InputSchema { get; }

    public IEstimator<ITransformer> Estimator { get; }

    public IReadOnlyList<CompiledFeature> Features { get; }

    public CompiledLabel Label { get; }

    /// <summary>Fits the rules on raw rows (means, modes, category vocabularies, n-gram dictionaries).</summary>
    public FittedRules Fit(RawTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new FittedRules(this, Estimator.Fit(View(data)));
    }

    /// <summary>
    /// Loads a model saved by <see cref="FittedRules.Save"/> (possibly with a trainer appended) for these same rules, so
    /// its slots are named again. The saved input schema must be this one.
    /// </summary>
    public FittedRules Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var transformer = Context.Model.Load(stream, out var schema);
        if (schema.Count != InputSchema.Count || schema.Where((c, i) => c.Name != InputSchema[i].Name || !c.Type.Equals(InputSchema[i].Type)).Any())
        {
            throw new ArgumentException("The saved model reads other columns than these rules were compiled for.", nameof(stream));
        }

        return new FittedRules(this, transformer);
    }

    /// <summary>The table's columns must be the compiled schema's, by name and type, in the same order.</summary>
    internal RawTable Conform(RawTable data)
    {
        var schema = data.Schema;
        if (schema.Count != RawColumns.Count || schema.Where((c, i) => c != RawColumns[i]).Any())
        {
            throw new ArgumentException(
                $"The rows' columns ({string.Join(", ", schema.Select(c => $"{c.Name}:{c.Type}"))}) are not the ones the rules were compiled for ({string.Join(", ", RawColumns.Select(c => $"{c.Name}:{c.Type}"))}).",
                nameof(data));
        }

        return data;
    }
}
