using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Logged real-time inputs come back as typed columns; what does not fit a column's type is missing, never an error.</summary>
public sealed class LoggedInputsTests
{
    [Fact]
    public void Values_are_read_by_column_type_and_anything_unreadable_is_missing()
    {
        var table = LoggedInputs.Read(
        [
            """{"Seats": 12, "Plan": "pro", "Active": true, "Since": "2026-01-02T03:04:05Z", "Other": 1}""",
            """{"Seats": "7.5", "Plan": 3, "Active": "yes", "Since": "soon"}""",
            "not json",
            "[1, 2]",
        ],
        [new RawColumn("Seats", FeatureType.Number), new RawColumn("Plan", FeatureType.Category), new RawColumn("Active", FeatureType.Boolean),
            new RawColumn("Since", FeatureType.DateTime)]);

        Assert.Equal(4, table.RowCount);
        Assert.Equal(["Seats", "Plan", "Active", "Since"], table.Columns.Select(c => c.Name));
        Assert.Equal(new double?[] { 12, 7.5, null, null }, (double?[])table.Columns[0].Values);
        Assert.Equal(new string?[] { "pro", "3", null, null }, (string?[])table.Columns[1].Values);
        Assert.Equal(new bool?[] { true, null, null, null }, (bool?[])table.Columns[2].Values);
        Assert.Equal(new DateTime?[] { new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), null, null, null }, (DateTime?[])table.Columns[3].Values);
    }
}
