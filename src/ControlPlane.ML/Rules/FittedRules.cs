using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Rules fitted on training rows: a transformer from raw rows to <c>Features</c>/<c>Label</c> that saves with
/// <c>ml.Model.Save(Transformer, InputSchema, stream)</c> (see <see cref="Save"/>) and loads back with
/// <c>ml.Model.Load</c>; trainers append to it. <see cref="Slots"/> names every slot of the feature vector.
/// </summary>
public sealed class FittedRules
{
    internal FittedRules(CompiledRules rules, ITransformer transformer)
    {
        Rules = rules;
        Transformer = transformer;
        OutputSchema = transformer.GetOutputSchema(rules.InputSchema);
        Slots = NameSlots(rules.Features, OutputSchema);
    }

    public CompiledRules Rules { get; }

    public ITransformer Transformer { get; }

    public DataViewSchema InputSchema => Rules.InputSchema;

    public DataViewSchema OutputSchema { get; }

    public IReadOnlyList<FeatureSlot> Slots { get; }

    public IDataView Transform(RawTable data) => Transformer.Transform(Rules.View(data));

    public void Save(Stream stream) => Rules.Context.Model.Save(Transformer, InputSchema, stream);

    /// <summary>A mapper for one row at a time (real-time featurization) reading <c>Features</c> and whatever else is named.</summary>
    public RawRowMapper CreateRowMapper(params string[] outputColumns) =>
        new(Transformer, InputSchema, outputColumns.Length == 0 ? [RuleCompiler.FeaturesColumn] : outputColumns);

    /// <summary>Slot names: "company_size", "industry=retail", "industry#17" (hashed), "subject:w.refund", "created.hour".</summary>
    private static IReadOnlyList<FeatureSlot> NameSlots(IReadOnlyList<CompiledFeature> features, DataViewSchema schema)
    {
        var slots = new List<FeatureSlot>();
        foreach (var feature in features)
        {
            for (var o = 0; o < feature.OutputColumns.Count; o++)
            {
                var column = schema[feature.OutputColumns[o]];
                if (column.Type is not VectorDataViewType vector)
                {
                    var name = feature.Type == FeatureType.DateTime ? $"{feature.Name}.{feature.DateSlots[o]}" : feature.Name;
                    slots.Add(new FeatureSlot(slots.Count, feature.Name, name));
                    continue;
                }

                var names = default(VBuffer<ReadOnlyMemory<char>>);
                var hasNames = column.HasSlotNames();
                if (hasNames)
                {
                    column.GetSlotNames(ref names);
                }

                var dense = names.DenseValues().ToArray();
                for (var k = 0; k < vector.Size; k++)
                {
                    var slot = hasNames && k < dense.Length && !dense[k].IsEmpty ? dense[k].ToString() : null;
                    var name = feature.Type switch
                    {
                        FeatureType.Category when feature.Encoding == CategoryEncoding.Hashed => $"{feature.Name}#{k.ToString(CultureInfo.InvariantCulture)}",
                        FeatureType.Category => $"{feature.Name}={slot ?? k.ToString(CultureInfo.InvariantCulture)}",
                        _ => $"{feature.Name}:{slot ?? k.ToString(CultureInfo.InvariantCulture)}",
                    };
                    slots.Add(new FeatureSlot(slots.Count, feature.Name, name));
                }
            }
        }

        return slots;
    }
}
