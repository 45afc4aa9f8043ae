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
            Features = [new FeatureRule
            {
                Name = "at",
                DateParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.DayOfMonth, DatePart.Month, DatePart.Year, DatePart.TimeOfDay, DatePart.DayOfYear,
                    DatePart.WeekOfYear, DatePart.Weekend, DatePart.Elapsed],
            }],
        };

        var output = RuleCompiler.Compile(rules, TaskType.Binary, table.Schema).Fit(table).Transform(table);
        var vectors = Vectors(output);
        var first = Vectors(RuleCompiler.Compile(rules, TaskType.Binary, table.Schema, featurization: 1).Fit(table).Transform(table));
        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i]!.Value;
            var iso = ((int)t.DayOfWeek + 6) % 7 + 1;
            var expected = new float[]
            {
                t.Hour, iso, t.Day, t.Month, t.Year, (float)t.TimeOfDay.TotalHours, t.DayOfYear, (t.DayOfYear - 1) / 7 + 1,
                t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1 : 0,
            };
            Assert.True(expected.SequenceEqual(vectors[i][..9]), $"{t:O} gave {string.Join(",", vectors[i])}, expected {string.Join(",", expected)}");
            Assert.Equal((t - DateTime.UnixEpoch).TotalDays, vectors[i][9], 0.01); // days elapsed, as a float
            // Featurization 1 counted the day of week from Sunday = 0: versions trained under it reproduce with it.
            Assert.Equal((int)t.DayOfWeek, first[i][1]);
        }
    }

    [Fact]
    public void Cycles_are_a_sine_and_a_cosine_on_their_circle()
    {
        var times = new DateTime?[]
        {
            new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 5, 6, 0, 0, DateTimeKind.Utc),
            new DateTime(2026, 7, 4, 18, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 5, 0, 0, 0, DateTimeKind.Utc),
        };
        var table = new RawTable([RawTableColumn.DateTimes("at", times), RawTableColumn.Booleans("y", [true, false, true, false])]);
        var rules = new RuleSet
        {
            Label = new LabelRule { Source = "y" },
            Features = [new FeatureRule { Name = "at", DateParts = [DatePart.DayCycle, DatePart.WeekCycle, DatePart.YearCycle] }],
        };

        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, table.Schema).Fit(table);
        var v = Vectors(fitted.Transform(table));

        Assert.Equal(["at.dayCycle.sin", "at.dayCycle.cos", "at.weekCycle.sin", "at.weekCycle.cos", "at.yearCycle.sin", "at.yearCycle.cos"], fitted.Slots.Select(s => s.Name));
        Assert.All(v, row =>
        {
            for (var k = 0; k < 6; k += 2) Assert.Equal(1, row[k] * row[k] + row[k + 1] * row[k + 1], 4);
        });
        Assert.Equal((0f, 1f), (MathF.Round(v[0][0], 4), MathF.Round(v[0][1], 4))); // midnight
        Assert.Equal((1f, 0f), (MathF.Round(v[1][0], 4), MathF.Round(v[1][1], 4))); // 06:00 is a quarter turn
        Assert.Equal(-1f, MathF.Round(v[2][0], 4)); // 18:00 is three quarters
        Assert.Equal(v[0][4], v[3][4], 1); // a year later, the same point of the year
    }

    private static List<float[]> Vectors(Microsoft.ML.IDataView output) =>
        output.GetColumn<VBuffer<float>>(output.Schema[RuleCompiler.FeaturesColumn]).Select(v => v.DenseValues().ToArray()).ToList();
}
