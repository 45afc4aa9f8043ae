using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>Lead-scoring rules written from the demo generator's ground truth, exercising most of what a rule can say.</summary>
internal static class LeadScoringDemoRules
{
    /// <summary>Eleven features: scaled and imputed numbers, log, clip, buckets, one-hot and hashed categories, a boolean (from its spellings where the column is text), a derived ratio and date parts.</summary>
    /// <param name="columns">The columns as the dataset version types them: spellings are mapped only where a column is text.</param>
    public static RuleSet For(DemoDataset d, IReadOnlyList<RawColumn> columns)
    {
        string Raw(string canonical) => d.Mapping[canonical];
        bool IsText(string canonical) => columns.Single(c => c.Name == Raw(canonical)).Type is FeatureType.Category or FeatureType.Text;
        Dictionary<string, string> Spellings(string canonical) =>
            d.Column(canonical).Values.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
        double? Scale(string canonical) => d.Column(canonical).RawPerUnit is var f && f != 1 ? f : null;

        return new RuleSet
        {
            Label = DemoRuleSet.For(d, columns).Label,
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
                new FeatureRule { Name = "has_demo_request", Source = Raw("has_demo_request"), Type = FeatureType.Boolean, Values = IsText("has_demo_request") ? Spellings("has_demo_request") : null },
                new FeatureRule { Name = "title_seniority", Source = Raw("title_seniority"), Type = FeatureType.Category, Values = Spellings("title_seniority") },
                new FeatureRule { Name = "pages_per_day", Expression = "pages_viewed / (days_since_first_touch + 1)" },
                new FeatureRule { Name = "created", Source = d.EventTime.RawName, DateParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.Month] },
            ],
        };
    }
}
