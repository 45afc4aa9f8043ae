using ControlPlane.ML;
using ControlPlane.Core.UseCases;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Picks a column's feature type from what its values parse as. The first rule that holds wins:
/// <list type="number">
/// <item>Boolean: at least 98% of non-null values are true/false/yes/no/y/n/1/0 (any case) with at most two spellings
/// (so "yes/no/true" is not). A column spelled only 1/0 must be all 1s and 0s: a count that is mostly 0 or 1 stays a number.</item>
/// <item>Number: at least 98% parse as invariant numbers ("1234.5", "-3", "1e6"; no thousands separators).</item>
/// <item>DateTime: at least 98% parse as ISO-8601 dates or date-times, or "yyyy-MM-dd HH:mm:ss".</item>
/// <item>Text: average length over 40 characters, or more than half the values contain a space and there are more
/// than 20 distinct values making up over 10% of the values (or past the 10,000 distinct limit). Free-form subject
/// lines repeat templates (about 38% distinct in the demo tickets), so "over half distinct" would call them
/// categories; multi-word labels such as country names have few distinct values and stay categories.</item>
/// <item>Category: everything else (and a column with no values at all).</item>
/// </list>
/// The 2% allowance keeps a few typos ("n/a", "-") from turning a number column into text; those values are
/// reported as misfits for the validator instead.
/// </summary>
internal static class TypeInference
{
    public const double FitShare = 0.98;
    public const double TextAverageLength = 40;

    public static FeatureType Infer(ColumnAccumulator c)
    {
        var n = c.NonNull;
        if (n == 0)
        {
            return FeatureType.Category;
        }

        if (c.BooleanFits >= FitShare * n && c.SpellingCount <= 2 && (!c.OnlyNumericBooleans || c.BooleanFits == n))
        {
            return FeatureType.Boolean;
        }

        if (c.Numbers.Count >= FitShare * n)
        {
            return FeatureType.Number;
        }

        if (c.DateFits >= FitShare * n)
        {
            return FeatureType.DateTime;
        }

        var manyDistinct = c.Values.Count > 20 && (c.NonNullAtLimit > 0 || c.Values.Count > 0.1 * n);
        return (double)c.TotalLength / n > TextAverageLength || (c.WithSpaces > 0.5 * n && manyDistinct)
            ? FeatureType.Text
            : FeatureType.Category;
    }

    public static long Misfits(ColumnAccumulator c, FeatureType type) => type switch
    {
        FeatureType.Boolean => c.NonNull - c.BooleanFits,
        FeatureType.Number => c.NonNull - c.Numbers.Count,
        FeatureType.DateTime => c.NonNull - c.DateFits,
        _ => 0,
    };
}
