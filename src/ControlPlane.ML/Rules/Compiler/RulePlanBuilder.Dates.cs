using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    private CompiledFeature? CompileDateTime(int index, FeatureRule rule, Source source)
    {
        if (source.Type is TextDataViewType or BooleanDataViewType || source.RawType is FeatureType.Number or FeatureType.Boolean)
        {
            Mismatch(source, FeatureType.DateTime, "A date-time feature needs a date-time column (or an expression giving Unix seconds).");
            return null;
        }

        var seconds = source.Column;
        if (_types[seconds] != NumberDataViewType.Double)
        {
            seconds = Column(index, "seconds");
            Add(_ml.Transforms.Conversion.ConvertType(seconds, source.Column, DataKind.Double), seconds, NumberDataViewType.Double);
        }

        var value = Impute(index, rule, seconds, FeatureType.DateTime, ImputeStrategy.Mean, NumberDataViewType.Double);
        var parts = (rule.DateParts ?? DateFeatures.DefaultsFor(_featurization)).Distinct().ToArray();
        var slots = parts.SelectMany(p => DateFeatures.Outputs(p, _featurization)).ToList();
        var outputs = slots
            .Select(p => Expression(Column(index, p.Name), p.Lambda, value, NumberDataViewType.Single))
            .ToList();
        return new CompiledFeature(rule.Name, FeatureType.DateTime, value, outputs, null, null, slots.Select(p => p.Name).ToArray()) { DateParts = parts };
    }
}
