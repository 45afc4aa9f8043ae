using ControlPlane.Core.Monitoring.DriftCheck;

namespace ControlPlane.UnitTests.Monitoring;

public sealed class BottomKSampleTests
{
    [Fact]
    public void It_keeps_at_most_its_capacity_and_counts_everything_offered()
    {
        var sample = new BottomKSample<int>(100);
        for (var i = 0; i < 250; i++)
        {
            sample.Add(i, (ulong)i);
        }

        Assert.Equal((100, 250), (sample.Count, sample.Seen));
        Assert.Equal(100, sample.Items().Distinct().Count());
    }

    [Fact]
    public void Under_its_capacity_it_keeps_every_item()
    {
        var sample = new BottomKSample<int>(100);
        for (var i = 0; i < 60; i++)
        {
            sample.Add(i, (ulong)i);
        }

        Assert.Equal(Enumerable.Range(0, 60), sample.Items().Order());
    }

    [Fact]
    public void The_same_items_in_another_order_give_the_same_sample_in_the_same_order()
    {
        var ids = Enumerable.Range(0, 5_000).ToArray();
        var shuffled = ids.ToArray();
        new Random(7).Shuffle(shuffled);
        var a = new BottomKSample<int>(300);
        var b = new BottomKSample<int>(300);
        var scope = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        foreach (var i in ids)
        {
            a.Add(i, BottomKSample.Key(scope, i));
        }

        foreach (var i in shuffled)
        {
            b.Add(i, BottomKSample.Key(scope, i));
        }

        Assert.Equal(a.Items(), b.Items());
    }

    [Fact]
    public void The_sample_is_spread_evenly_over_the_items()
    {
        // 10,000 of 100,000 consecutive row numbers: every tenth of the range holds about a tenth of the sample, and a
        // sample that favoured low or high numbers (a prefix, a stride gone wrong) would fail.
        var sample = new BottomKSample<int>(10_000);
        var scope = Guid.Parse("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
        for (var i = 0; i < 100_000; i++)
        {
            sample.Add(i, BottomKSample.Key(scope, i));
        }

        var deciles = sample.Items().GroupBy(i => i / 10_000).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, deciles.Count);
        Assert.All(deciles.Values, count => Assert.InRange(count, 850, 1_150));
        Assert.InRange(sample.Items().Average(), 48_500, 51_500);
    }

    [Fact]
    public void Keys_differ_by_scope_and_number()
    {
        var a = Guid.Parse("11111111-1111-1111-1111-111111111111");
        var b = Guid.Parse("22222222-2222-2222-2222-222222222222");

        Assert.Equal(BottomKSample.Key(a, 5), BottomKSample.Key(a, 5));
        Assert.NotEqual(BottomKSample.Key(a, 5), BottomKSample.Key(a, 6));
        Assert.NotEqual(BottomKSample.Key(a, 5), BottomKSample.Key(b, 5));
    }
}
