using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>A rule set compiled for one raw schema: the estimator to fit, and what each feature became.</summary>
public sealed class CompiledRules
{
    internal CompiledRules(MLContext ml, TaskType task, IReadOnlyList<RawColumn> columns, IEstimator<ITransformer> estimator,
        IReadOnlyList<CompiledFeature> features, CompiledLabel label)
    {
        Context = ml;
        Task = task;
        RawColumns = columns;
        InputSchema = RawTableDataView.SchemaFor(columns);
        Estimator = estimator;
        Features = features;
        Label = label;
    }

    public MLContext Context { get; }

    public TaskType Task { get; }

    public IReadOnlyList<RawColumn> RawColumns { get; }

    /// <summary>The schema rows are read with (<see cref="RawTableDataView.SchemaFor"/>); save the model with it.</summary>
    public DataViewSchema InputSchema { get; }

    public IEstimator<ITransformer> Estimator { get; }

    public IReadOnlyList<CompiledFeature> Features { get; }

    public CompiledLabel Label { get; }

    /// <summary>Fits the rules on raw rows (means, modes, category vocabularies, n-gram dictionaries).</summary>
    public FittedRules Fit(RawTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var view = new RawTableDataView(Conform(data));
        return new FittedRules(this, Estimator.Fit(view));
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
