using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

public sealed class RulePreviewTests
{
    private static readonly RawTable Table = new(
    [
        RawTableColumn.Numbers("Spend Cents", [1250, null, 4000, 800]),
        RawTableColumn.Strings("Industry", FeatureType.Category, ["RET", "software", null, "RET"]),
        RawTableColumn.DateTimes("created", [new DateTime(2026, 3, 3, 14, 5, 0, DateTimeKind.Utc), null, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc)]),
        RawTableColumn.Strings("note", FeatureType.Text, ["asked for a refund", null, "great demo", "refund"]),
        RawTableColumn.Booleans("won", [true, false, null, true]),
    ]);

    private static readonly RuleSet Rules = new()
    {
        Label = new LabelRule { Source = "won" },
        Features =
        [
            new FeatureRule { Name = "spend", Source = "Spend Cents", Scale = 100 },
            new FeatureRule { Name = "industry", Source = "Industry", Values = new Dictionary<string, string> { ["RET"] = "retail" } },
            new FeatureRule { Name = "created", DateParts = [DatePart.Hour, DatePart.DayOfWeek], Impute = new ImputeRule { Strategy = ImputeStrategy.Minimum } },
            new FeatureRule { Name = "note" },
        ],
    };

    [Fact]
    public void Shows_raw_cells_beside_readable_feature_values_and_the_label()
    {
        var preview = RulePreview.Run(Rules, TaskType.Binary, Table, rows: 3);
        Assert.Equal(["Spend Cents", "Industry", "created", "note", "won"], preview.RawColumns);
        Assert.Equal(["spend", "industry", "created", "note"], preview.Features);
        Assert.Equal(3, preview.Rows.Count);

        var first = preview.Rows[0];
        Assert.Equal(["1250", "RET", "2026-03-03T14:05:00Z", "asked for a refund", "true"], first.Raw);
        Assert.Equal("12.5", first.Features["spend"]);
        Assert.Equal("industry=retail", first.Features["industry"]);
        Assert.Equal("hour=14, dayOfWeek=2", first.Features["created"]);
        Assert.Matches(@"^\d+ n-grams$", first.Features["note"]);
        Assert.Equal("true", first.Label);

        var second = preview.Rows[1];
        Assert.Equal([null, "software", null, null, "false"], second.Raw);
        Assert.StartsWith("20.16", second.Features["spend"], StringComparison.Ordinal);
        Assert.Equal("hour=0, dayOfWeek=7", second.Features["created"]); // ISO: Sunday is 7
        Assert.Equal("0 n-grams", second.Features["note"]);

        Assert.Equal("industry=(missing)", preview.Rows[2].Features["industry"]);
        Assert.Null(preview.Rows[2].Label);
    }

    [Fact]
    public void An_empty_table_previews_no_rows()
    {
        var empty = new RawTable(Table.Columns.Select(c => c.Values switch
        {
            double?[] => RawTableColumn.Numbers(c.Name, []),
            bool?[] => RawTableColumn.Booleans(c.Name, []),
            DateTime?[] => RawTableColumn.DateTimes(c.Name, []),
            _ => RawTableColumn.Strings(c.Name, c.Type, []),
        }).ToArray());
        var preview = RulePreview.Run(Rules, TaskType.Binary, empty, rows: 5);
        Assert.Equal(["spend", "industry", "created", "note"], preview.Features);
        Assert.Empty(preview.Rows);
    }

    [Fact]
    public void Rules_that_do_not_compile_throw_their_errors()
    {
        var bad = Rules with { Features = [new FeatureRule { Name = "spend", Source = "Spend" }] };
        var ex = Assert.Throws<RuleSetException>(() => RulePreview.Run(bad, TaskType.Binary, Table, 3));
        Assert.Equal("features[spend].source", Assert.Single(ex.Errors).Path);
    }
}
