using System.Text.Json;
using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Baselines of known inputs: edges, counts, categories, vocabulary, and a JSON round trip.</summary>
public sealed class BaselinesTests
{
    [Fact]
    public void Number_baseline_cuts_quantile_edges_and_counts_each_bin()
    {
        // 1..10 in 4 bins: edge j is the value at rank ⌈10·j/4⌉ → ranks 3, 5, 8, 10 → edges 3, 5, 8, 10.
        // Bins ≤3: {1,2,3}, (3,5]: {4,5}, (5,8]: {6,7,8}, (8,10]: {9,10}, >10: none.
        double[] values = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6];

        var baseline = Baselines.Number("amount", values, bins: 4);

        Assert.Equal(BaselineKind.Number, baseline.Kind);
        Assert.Equal([3.0, 5, 8, 10], baseline.Edges);
        Assert.Equal([3L, 2, 3, 2, 0], baseline.Counts);
        Assert.Equal(10, baseline.Rows);
        Assert.Equal(0, baseline.Missing);
    }

    [Fact]
    public void Number_baseline_with_few_distinct_values_uses_the_values_as_edges_and_counts_nan_and_infinity_as_missing()
    {
        double[] values = [5, 2, double.NaN, 5, 9, double.NegativeInfinity, 2, 5];

        var baseline = Baselines.Number("visits", values);

        Assert.Equal([2.0, 5, 9], baseline.Edges);
        Assert.Equal([2L, 3, 1, 0], baseline.Counts);
        Assert.Equal(8, baseline.Rows);
        Assert.Equal(2, baseline.Missing);
    }

    [Fact]
    public void Number_baseline_merges_tied_quantiles()
    {
        // Nine 0s and one each of 1..3 in 2 bins: ranks ⌈12·1/2⌉ = 6 and 12 hold 0 and 3 → edges [0, 3], bins ≤0 and (0,3].
        double[] values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3];

        var baseline = Baselines.Number("refunds", values, bins: 2);

        Assert.Equal([0.0, 3], baseline.Edges);
        Assert.Equal([9L, 3, 0], baseline.Counts);
    }

    [Fact]
    public void Category_baseline_keeps_the_most_frequent_and_counts_the_rest_as_other()
    {
        string?[] values = ["a", "b", "a", "c", null, "a", "b", "d", " ", "e"];

        var baseline = Baselines.Category("plan", values, maxCategories: 2);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 2 }, baseline.Categories);
        Assert.Equal(3, baseline.Other); // c, d, e
        Assert.Equal(["c", "d", "e"], baseline.OtherNames);
        Assert.Equal(10, baseline.Rows);
        Assert.Equal(2, baseline.Missing);
    }

    [Fact]
    public void Text_baseline_bins_token_counts_and_keeps_the_frequent_tokens()
    {
        // Tokens: "the cat sat" (3), "The dog!" (2), "a cat, a dog" (4) → 9 tokens; the ×2, cat ×2, dog ×2, a ×2, sat ×1.
        string?[] values = ["the cat sat", "The dog!", "a cat, a dog", null];

        var baseline = Baselines.Text("notes", values, vocabulary: 4);

        Assert.Equal(BaselineKind.Text, baseline.Kind);
        Assert.Equal([2.0, 3, 4], baseline.Edges);
        Assert.Equal([1L, 1, 1, 0], baseline.Counts);
        Assert.Equal(1, baseline.Missing);
        Assert.Equal(["a", "cat", "dog", "the"], baseline.Vocabulary);
        Assert.Equal(8.0 / 9, baseline.VocabularyCoverage, 12);
    }

    [Fact]
    public void Baselines_survive_a_json_round_trip()
    {
        var number = Baselines.Number("amount", [1, 2, 3, double.NaN], bins: 2);
        var category = Baselines.Category("plan", ["a", "b", "b"]);
        var text = Baselines.Text("notes", ["x y", "y"]);

        foreach (var baseline in new[] { number, category, text })
        {
            var back = JsonSerializer.Deserialize<FeatureBaseline>(JsonSerializer.Serialize(baseline))!;
            Assert.Equal(baseline.Kind, back.Kind);
            Assert.Equal(baseline.Rows, back.Rows);
            Assert.Equal(baseline.Missing, back.Missing);
            Assert.Equal(baseline.Edges, back.Edges);
            Assert.Equal(baseline.Counts, back.Counts);
            Assert.Equal(baseline.Categories, back.Categories);
            Assert.Equal(baseline.Vocabulary, back.Vocabulary);
            Assert.Equal(baseline.VocabularyCoverage, back.VocabularyCoverage);
        }
    }
}
