using ControlPlane.Core.Datasets;
using ControlPlane.ML;

namespace ControlPlane.UnitTests.Datasets;

public class ColumnTypeOverridesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("{}")]
    public void No_text_means_no_overrides(string? json)
    {
        var result = ColumnTypeOverrides.Parse(json);

        Assert.True(result.IsOk);
        Assert.Empty(result.Value!);
    }

    [Fact]
    public void Type_names_are_read_in_any_case()
    {
        var result = ColumnTypeOverrides.Parse("{\"Zip Code\":\"category\",\"Amount\":\"NUMBER\",\"Seen\":\"DateTime\"}");

        Assert.Equal(new Dictionary<string, FeatureType> { ["Zip Code"] = FeatureType.Category, ["Amount"] = FeatureType.Number, ["Seen"] = FeatureType.DateTime },
            result.Value);
    }

    [Theory]
    [InlineData("{\"a\":\"integer\"}", "Column 'a' has type \"integer\", which is not one of number, category, text, boolean, datetime.")]
    [InlineData("{\"a\":\"1\"}", "Column 'a' has type \"1\", which is not one of number, category, text, boolean, datetime.")]
    [InlineData("{\"a\":2}", "Column 'a' has type 2, which is not one of number, category, text, boolean, datetime.")]
    public void A_type_that_is_not_a_name_is_refused_naming_the_column(string json, string message)
    {
        var result = ColumnTypeOverrides.Parse(json);

        Assert.False(result.IsOk);
        Assert.Equal([message], result.Errors[ColumnTypeOverrides.Field]);
    }

    [Theory]
    [InlineData("[\"a\"]")]
    [InlineData("{\"a\":")]
    [InlineData("category")]
    public void Text_that_is_not_a_json_object_is_refused(string json)
    {
        var result = ColumnTypeOverrides.Parse(json);

        Assert.StartsWith("The type overrides must be a JSON object of column name → type name", Assert.Single(result.Errors[ColumnTypeOverrides.Field]));
    }

    [Fact]
    public void Unknown_columns_are_named_with_the_files_columns()
    {
        var types = new Dictionary<string, FeatureType> { ["zip"] = FeatureType.Category, ["Amount"] = FeatureType.Number };

        Assert.Null(ColumnTypeOverrides.UnknownColumns(types, ["Amount", "zip"], "a.csv"));
        Assert.Equal("The type overrides name a column that file 'a.csv' does not have: 'zip'. Its columns are 'Amount', 'Zip'.",
            ColumnTypeOverrides.UnknownColumns(types, ["Amount", "Zip"], "a.csv"));
    }
}
