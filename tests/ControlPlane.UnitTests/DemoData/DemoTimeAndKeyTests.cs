using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoTimeAndKeyTests
{
    public static TheoryData<string> UseCases => [.. DemoUseCaseKeys.All];

    [Theory]
    [MemberData(nameof(UseCases))]
    public void Event_times_lie_in_the_default_year_and_are_sorted(string useCase)
    {
        var frame = new DemoFrame(DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = "time-co", Rows = 3000 }));
        var dataset = frame.Dataset;

        var times = Enumerable.Range(0, frame.Count).Select(frame.Time).ToList();

        Assert.Equal(DemoGenerationOptions.DefaultAsOfUtc, dataset.EndUtc);
        Assert.Equal(DemoGenerationOptions.DefaultAsOfUtc.AddDays(-365), dataset.StartUtc);
        Assert.All(times, t => Assert.InRange(t, dataset.StartUtc, dataset.EndUtc.AddTicks(-1)));
        Assert.Equal(times.Order(), times);
        Assert.True(times[^1] - times[0] > TimeSpan.FromDays(330));
    }

    [Fact]
    public void Custom_as_of_and_span_are_respected()
    {
        var asOf = new DateTime(2025, 7, 15, 12, 30, 0, DateTimeKind.Utc);
        var frame = new DemoFrame(DemoDataGenerator.Generate(
            DemoUseCaseKeys.ResolutionTime,
            new DemoGenerationOptions { TenantSlug = "time-co", Rows = 1000, AsOfUtc = asOf, Span = TimeSpan.FromDays(30) }));

        var times = Enumerable.Range(0, frame.Count).Select(frame.Time).ToList();

        Assert.All(times, t => Assert.InRange(t, asOf.AddDays(-30), asOf.AddTicks(-1)));
        Assert.Equal(asOf.AddDays(-30), frame.Dataset.StartUtc);
    }

    [Fact]
    public void Iso_and_space_separated_time_styles_both_occur_across_tenants()
    {
        var formats = Enumerable.Range(1, 20)
            .Select(seed => DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, new DemoGenerationOptions { TenantSlug = "fmt", Seed = seed, Rows = 3 }))
            .Select(d => d.Rows[0][d.IndexOf(d.EventTime.CanonicalName)]!)
            .ToList();

        Assert.Contains(formats, f => f.Length == 20 && f[10] == 'T' && f.EndsWith('Z'));
        Assert.Contains(formats, f => f.Length == 19 && f[10] == ' ');
    }

    [Fact]
    public void Weekdays_are_busier_than_weekends()
    {
        var frame = new DemoFrame(DemoDataGenerator.Generate(
            DemoUseCaseKeys.TicketRouting, new DemoGenerationOptions { TenantSlug = "weekly-co", Rows = 5000, Region = "eu" }));

        var days = Enumerable.Range(0, frame.Count).Select(i => frame.Time(i).AddHours(1).DayOfWeek).ToList();
        var weekdayAverage = days.Count(d => d is not DayOfWeek.Saturday and not DayOfWeek.Sunday) / 5.0;
        var weekendAverage = days.Count(d => d is DayOfWeek.Saturday or DayOfWeek.Sunday) / 2.0;

        Assert.True(weekdayAverage > weekendAverage * 2, $"weekday {weekdayAverage}, weekend {weekendAverage}");
    }

    [Theory]
    [MemberData(nameof(UseCases))]
    public void Entity_keys_are_unique_in_every_key_style(string useCase)
    {
        var styles = new HashSet<string>();
        for (var seed = 1; seed <= 12; seed++)
        {
            var dataset = DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = "key-co", Seed = seed, Rows = 3000 });
            var keys = dataset.Rows.Select(r => r[dataset.IndexOf(dataset.EntityKey.CanonicalName)]!).ToList();

            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
            styles.Add(Shape(keys[0]));
        }

        Assert.True(styles.Count >= 2, string.Join(", ", styles));
    }

    private static string Shape(string key) =>
        key.All(char.IsDigit) ? "numeric" : key.Count(c => c == '-') == 4 ? "guid" : "prefixed";
}
