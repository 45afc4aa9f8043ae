using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.ML.Data;

namespace ControlPlane.UnitTests.Rules;

public sealed class RawTableDataViewTests
{
    private static readonly RawTable Table = new(
    [
        RawTableColumn.Numbers("Cs As Of", [1.5, null]),
        RawTableColumn.Booleans("flag", [true, null]),
        RawTableColumn.DateTimes("at", [new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), null]),
        RawTableColumn.Strings("plan", FeatureType.Category, ["pro", null]),
        RawTableColumn.Strings("note", FeatureType.Text, ["hello there", ""]),
    ]);

    [Fact]
    public void Columns_keep_their_names_and_get_the_documented_types()
    {
        var view = new RawTableDataView(Table);
        Assert.Equal(["Cs As Of", "flag", "at", "plan", "note"], view.Schema.Select(c => c.Name));
        Assert.Equal(
            [NumberDataViewType.Single, NumberDataViewType.Single, NumberDataViewType.Double, TextDataViewType.Instance, TextDataViewType.Instance],
            view.Schema.Select(c => c.Type));
        Assert.Equal(2, view.GetRowCount());
    }

    [Fact]
    public void Missing_values_are_NaN_or_empty_and_times_are_exact_unix_seconds()
    {
        var view = new RawTableDataView(Table);
        Assert.Equal([1.5f, float.NaN], view.GetColumn<float>(view.Schema["Cs As Of"]));
        Assert.Equal([1f, float.NaN], view.GetColumn<float>(view.Schema["flag"]));
        var seconds = view.GetColumn<double>(view.Schema["at"]).ToList();
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).ToUnixTimeMilliseconds() / 1000.0, seconds[0], 6);
        Assert.True(double.IsNaN(seconds[1]));
        Assert.Equal(["pro", ""], view.GetColumn<ReadOnlyMemory<char>>(view.Schema["plan"]).Select(m => m.ToString()));
    }

    [Fact]
    public void Reading_a_column_the_cursor_was_not_asked_for_fails_clearly()
    {
        var view = new RawTableDataView(Table);
        using var cursor = view.GetRowCursor([view.Schema["plan"]]);
        var ex = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(view.Schema["Cs As Of"]));
        Assert.Contains("'Cs As Of'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_with_other_columns_than_the_compiled_ones_are_refused()
    {
        var rules = new RuleSet { Label = new LabelRule { Source = "flag" }, Features = [new FeatureRule { Name = "Cs As Of" }] };
        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema).Fit(Table);
        var other = new RawTable([RawTableColumn.Numbers("Cs As Of", [1]), RawTableColumn.Booleans("flag", [true])]);
        var ex = Assert.Throws<ArgumentException>(() => fitted.Transform(other));
        Assert.Contains("not the ones the rules were compiled for", ex.Message, StringComparison.Ordinal);
    }
}
