using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

/// <summary>
/// Fits the compiled steps in order, each on the rows as the steps before it left them, so a step may look at the data
/// it is built for (the most frequent categories of a capped one-hot). The result is an ordinary ML.NET transformer
/// chain of ML.NET's own transformers, which saves and loads like any other; only this estimator is ours.
/// </summary>
internal sealed class RulesEstimator(IReadOnlyList<Func<IDataView?, IEstimator<ITransformer>>> steps) : IEstimator<ITransformer>
{
    public ITransformer Fit(IDataView input)
    {
        var transformers = new List<ITransformer>(steps.Count);
        var view = input;
        foreach (var step in steps)
        {
            var transformer = step(view).Fit(view);
            transformers.Add(transformer);
            view = transformer.Transform(view);
        }

        return new TransformerChain<ITransformer>(transformers.ToArray());
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var shape = inputSchema;
        foreach (var step in steps)
        {
            shape = step(null).GetOutputSchema(shape);
        }

        return shape;
    }
}
