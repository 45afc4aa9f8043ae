using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.ML.Data;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Date parts are computed by arithmetic on Unix seconds inside saved expressions; they must agree with the calendar.</summary>
public sealed class RuleDatePartTests
{
    [Fact]
    public void Parts_agree_with_DateTime_from_1900_to_2200_including_leap_days()
    {
        var random = new Random(42);
        var min = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var max = new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var times = Enumerable.Range(0, 3000)
            .Select(_ => new DateTime(min + (long)(random.NextDouble() * (max - min)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc))
            .Concat([
                new DateTime(2000, 2, 29, 23, 59, 59, DateTimeKind.Utc), new DateTime(2100, 3, 1, 0, 0, 0, DateTimeKind.Utc),
                new DateTime(1969, 12, 31, 23, 0, 0, DateTimeKind.Utc), new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                new DateTime(2024, 12, 31, 12, 0, 0, DateTimeKind.Utc),
            ])
            .Select(t => (DateTime?)t)
            .ToArray();
        var table = new RawTable([RawTableColumn.DateTimes("at", times), RawTableColumn.Booleans("y", times.Select((_, i) => (bool?)(i % 2 == 0)).ToArray())]);
        var rules = new RuleSet
        {
            Label = new LabelRule { Source = "y" },
            Features = [new FeatureRule { Name = "at", DateParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.DayOfMonth, DatePart.Month, DatePart.Year] }],
        };

        var output = RuleCompiler.Compile(rules, TaskType.Binary, table.Schema).Fit(table).Transform(table);
        var vectors = output.GetColumn<VBuffer<float>>(output.Schema[RuleCompiler.FeaturesColumn]).Select(v => v.DenseValues().ToArray()).ToList();
        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i]!.Value;
            Assert.True(new float[] { t.Hour, (int)t.DayOfWeek, t.Day, t.Month, t.Year }.SequenceEqual(vectors[i]), $"{t:O} gave {string.Join(",", vectors[i])}");
        }
    }
}
