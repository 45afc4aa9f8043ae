using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>
/// A use case's default feature can say how it is derived — a date-time read from the event-time column, with its parts —
/// so tenants need no identical overrides; the mapping assistant offers the event-time column to a date-time feature.
/// </summary>
public sealed class DerivedFeatureTests
{
    private static readonly RuleDefaults Riders = new(TaskType.Regression, "riders", "id", "date",
    [
        new RuleDefaults.Feature("day", FeatureType.DateTime, Source: "date", DateParts: [DatePart.DayOfWeek, DatePart.DayOfYear]),
        new RuleDefaults.Feature("temperature", FeatureType.Number),
    ]);

    [Fact]
    public void A_feature_derived_from_the_event_time_reads_the_tenants_event_time_column_with_the_use_cases_parts()
    {
        var asIs = RuleInheritance.Effective(Riders, null);
        var mapped = RuleInheritance.Effective(Riders, new RuleSet { EventTime = "Service Date" });
        var ownParts = RuleInheritance.Effective(Riders, new RuleSet
        {
            EventTime = "Service Date", Features = [new FeatureRule { Name = "day", DateParts = [DatePart.Weekend] }],
        });

        Assert.Equal("date", asIs.Features[0].Source);
        Assert.Equal([DatePart.DayOfWeek, DatePart.DayOfYear], asIs.Features[0].DateParts!);
        Assert.Equal("Service Date", mapped.Features[0].Source);
        Assert.Equal([DatePart.DayOfWeek, DatePart.DayOfYear], mapped.Features[0].DateParts!);
        Assert.Equal("Service Date", ownParts.Features[0].Source);
        Assert.Equal([DatePart.Weekend], ownParts.Features[0].DateParts!);
        Assert.Null(mapped.Features[1].Source); // not derived: a column of its own name

        // The tenant's table has no "day" column, only its event time: the derived feature compiles and gives its parts.
        var table = new RawTable([
            RawTableColumn.Strings("id", FeatureType.Category, ["a", "b"]),
            RawTableColumn.DateTimes("Service Date", [new DateTime(2026, 12, 5, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc)]),
            RawTableColumn.Numbers("temperature", [1, 2]), RawTableColumn.Numbers("riders", [10, 20]),
        ]);
        var fitted = RuleCompiler.Compile(mapped, TaskType.Regression, table.Schema).Fit(table);
        Assert.Equal(["day.dayOfWeek", "day.dayOfYear", "temperature"], fitted.Slots.Select(s => s.Name));
    }

    [Fact]
    public void The_mapping_assistant_offers_the_event_time_column_to_a_date_time_feature_with_none_of_its_own()
    {
        var columns = new[]
        {
            new RawColumn("Stop ID", FeatureType.Category), new RawColumn("Service Date", FeatureType.DateTime),
            new RawColumn("Temp F", FeatureType.Number), new RawColumn("Boardings", FeatureType.Number),
        };
        var defaults = Riders with { Features = [new RuleDefaults.Feature("day", FeatureType.DateTime), new RuleDefaults.Feature("temperature", FeatureType.Number)] };

        var suggestions = MappingAssistant.Suggest(defaults, columns, new Dictionary<string, string[]>());

        Assert.Equal("Service Date", suggestions.Single(s => s.Target == "eventTime").Candidates[0].Column);
        var day = suggestions.Single(s => s.Target == "day").Candidates[0];
        Assert.Equal("Service Date", day.Column);
        Assert.Equal("the event-time column: a date-time feature may read it too", day.Reason);
    }
}
