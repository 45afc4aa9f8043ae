using System.Globalization;
using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// A demo upload typed the way a dataset snapshot stores it (numbers and timestamps parsed, everything else as the
/// tenant spells it), plus lead-scoring rules written from the generator's ground truth.
/// </summary>
internal static class RulesDemoTable
{
    public static RawTable Build(DemoDataset dataset)
    {
        var columns = new List<RawTableColumn>();
        for (var c = 0; c < dataset.Columns.Count; c++)
        {
            var column = dataset.Columns[c];
            var index = c;
            string? Cell(int row) => dataset.Rows[row][index] is { Length: > 0 } s ? s : null;
            var rows = Enumerable.Range(0, dataset.RowCount);
            columns.Add(column.Kind switch
            {
                DemoColumnKind.Number => RawTableColumn.Numbers(column.RawName,
                    rows.Select(r => Cell(r) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : (double?)null).ToArray()),
                DemoColumnKind.Timestamp => RawTableColumn.DateTimes(column.RawName,
                    rows.Select(r => Cell(r) is { } s
                        ? DateTime.ParseExact(s, column.Format!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                        : (DateTime?)null).ToArray()),
                DemoColumnKind.Text => RawTableColumn.Strings(column.RawName, FeatureType.Text, rows.Select(Cell).ToArray()),
                _ => RawTableColumn.Strings(column.RawName, FeatureType.Category, rows.Select(Cell).ToArray()),
            });
        }

        return new RawTable(columns);
    }

    /// <summary>Eleven features: scaled and imputed numbers, log, clip, buckets, one-hot and hashed categories, a spelled boolean, a derived ratio and date parts.</summary>
    public static RuleSet LeadScoringRules(DemoDataset d)
    {
        string Raw(string canonical) => d.Mapping[canonical];
        Dictionary<string, string> Spellings(string canonical) =>
            d.Column(canonical).Values.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
        double? Scale(string canonical) => d.Column(canonical).RawPerUnit is var f && f != 1 ? f : null;

        return new RuleSet
        {
            Label = new LabelRule { Source = d.Label.RawName, Positive = [d.Label.Values["true"]] },
            EntityKey = d.EntityKey.RawName,
            EventTime = d.EventTime.RawName,
            Features =
            [
                new FeatureRule { Name = "company_size", Source = Raw("company_size"), Scale = Scale("company_size"), Impute = new ImputeRule { Strategy = ImputeStrategy.Mean } },
                new FeatureRule { Name = "industry", Source = Raw("industry"), Type = FeatureType.Category, Values = Spellings("industry") },
                new FeatureRule { Name = "country", Source = Raw("country"), Type = FeatureType.Category, Values = Spellings("country"), MaxCategories = 20 },
                new FeatureRule { Name = "lead_source", Source = Raw("lead_source"), Type = FeatureType.Category, Encoding = CategoryEncoding.Hashed, MaxCategories = 32 },
                new FeatureRule { Name = "pages_viewed", Source = Raw("pages_viewed"), Transform = NumberTransform.Log, Impute = new ImputeRule { Strategy = ImputeStrategy.Zero } },
                new FeatureRule { Name = "emails_opened", Source = Raw("emails_opened"), Clip = new ClipRule { Min = 0, Max = 50 }, Impute = new ImputeRule { Strategy = ImputeStrategy.Mode } },
                new FeatureRule { Name = "days_since_first_touch", Source = Raw("days_since_first_touch"), Transform = NumberTransform.Bucketize, Buckets = [7, 30, 90, 180] },
                new FeatureRule { Name = "has_demo_request", Source = Raw("has_demo_request"), Type = FeatureType.Boolean, Values = Spellings("has_demo_request") },
                new FeatureRule { Name = "title_seniority", Source = Raw("title_seniority"), Type = FeatureType.Category, Values = Spellings("title_seniority") },
                new FeatureRule { Name = "pages_per_day", Expression = "pages_viewed / (days_since_first_touch + 1)" },
                new FeatureRule { Name = "created", Source = d.EventTime.RawName, DateParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.Month] },
            ],
        };
    }
}
