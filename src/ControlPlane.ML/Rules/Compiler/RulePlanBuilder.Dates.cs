using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    public static readonly IReadOnlyList<DatePart> DefaultDateParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.Month];

    // Unix seconds → UTC calendar parts with floor arithmetic only, so each part is a plain saveable expression.
    // Day of week counts from Sunday = 0 (1970-01-01 was a Thursday, 4). Day, month and year use the proleptic
    // Gregorian "days from civil" inversion: shift to eras of 400 years starting on 0000-03-01, find the year of the
    // era, the day of that year, and the month from March = 0.
    private const string CivilDate =
        "with(z = floor(x / 86400) + 719468, era = floor(z / 146097), doe = z - era * 146097, "
        + "yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365), "
        + "doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100)), mp = floor((5 * doy + 2) / 153), "
        + "m = mp < 10 ? mp + 3 : mp - 9; ";

    private static string DatePartLambda(DatePart part) => part switch
    {
        DatePart.Hour => "x => with(s = x - 86400 * floor(x / 86400); float(floor(s / 3600)))",
        DatePart.DayOfWeek => "x => with(d = floor(x / 86400) + 4; float(d - 7 * floor(d / 7)))",
        DatePart.DayOfMonth => $"x => {CivilDate}float(doy - floor((153 * mp + 2) / 5) + 1))",
        DatePart.Month => $"x => {CivilDate}float(m))",
        DatePart.Year => $"x => {CivilDate}float(yoe + era * 400 + (m <= 2 ? 1 : 0)))",
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown date part."),
    };

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
        var parts = (rule.DateParts ?? DefaultDateParts).Distinct().ToList();
        var outputs = parts
            .Select(p => Expression(Column(index, Camel(p)), DatePartLambda(p), value, NumberDataViewType.Single))
            .ToList();
        return new CompiledFeature(rule.Name, FeatureType.DateTime, value, outputs, null, null, parts);
    }
}
