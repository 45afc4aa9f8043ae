using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.ML.Data;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Row-at-a-time featurization gives exactly what the batch transform gives, row after row, from a loaded model too.</summary>
public sealed class RawRowMapperTests
{
    private static readonly RawTable Table = RuleTables.Synthetic(150);

    private static readonly RuleSet Rules = new()
    {
        Label = new LabelRule { Source = "churned" },
        EntityKey = "Account Id",
        Features =
        [
            new FeatureRule { Name = "seats", Source = "Seats", Transform = NumberTransform.Log },
            new FeatureRule { Name = "plan", Values = new Dictionary<string, string> { ["ENT"] = "enterprise" }, MaxCategories = 3 },
            new FeatureRule { Name = "active", Source = "is active" },
            new FeatureRule { Name = "signed", Source = "Signed Up", DateParts = [DatePart.DayOfMonth, DatePart.Year] },
            new FeatureRule { Name = "notes" },
            new FeatureRule { Name = "spend per seat", Expression = "Monthly_Spend / seats" },
        ],
    };

    [Fact]
    public void Each_mapped_row_matches_the_batch_transform_bit_for_bit()
    {
        var fitted = RuleCompiler.Compile(Rules, TaskType.Binary, Table.Schema).Fit(Table);
        var batch = RuleTables.Column(fitted.Transform(Table), RuleCompiler.FeaturesColumn);

        using var stream = new MemoryStream();
        fitted.Save(stream);
        stream.Position = 0;
        var loaded = RuleCompiler.Compile(Rules, TaskType.Binary, Table.Schema).Load(stream);

        foreach (var source in new[] { fitted, loaded })
        {
            var mapper = source.CreateRowMapper(RuleCompiler.FeaturesColumn, RuleCompiler.EntityKeyColumn);
            // Backwards, so no row can reuse the previous row's cached values by accident.
            for (var i = Table.RowCount - 1; i >= 0; i--)
            {
                var row = mapper.Map(Table, i);
                var features = default(VBuffer<float>);
                row.GetGetter<VBuffer<float>>(row.Schema[RuleCompiler.FeaturesColumn])(ref features);
                var key = default(ReadOnlyMemory<char>);
                row.GetGetter<ReadOnlyMemory<char>>(row.Schema[RuleCompiler.EntityKeyColumn])(ref key);
                Assert.Equal(batch[i], string.Join(",", features.DenseValues().Select(v => BitConverter.SingleToInt32Bits(v))));
                Assert.Equal($"acct-{i:D5}", key.ToString());
            }
        }
    }

    [Fact]
    public void A_one_row_table_with_other_columns_is_refused()
    {
        var fitted = RuleCompiler.Compile(Rules, TaskType.Binary, Table.Schema).Fit(Table);
        var mapper = fitted.CreateRowMapper();
        var other = new RawTable([RawTableColumn.Numbers("Seats", [3])]);
        Assert.Throws<ArgumentException>(() => mapper.Map(other, 0));
    }
}
