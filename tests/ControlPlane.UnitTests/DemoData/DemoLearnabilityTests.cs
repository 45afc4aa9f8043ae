using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoLearnabilityTests
{
    [Theory]
    [InlineData(DemoUseCaseKeys.LeadScoring, "learn-a")]
    [InlineData(DemoUseCaseKeys.LeadScoring, "learn-b")]
    [InlineData(DemoUseCaseKeys.ChurnRisk, "learn-a")]
    [InlineData(DemoUseCaseKeys.ChurnRisk, "learn-b")]
    public void Binary_labels_are_learnable_by_a_tiny_logistic_regression(string useCase, string slug)
    {
        var frame = new DemoFrame(DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = slug, Rows = 5000 }));

        var auc = TinyLogisticRegression.HoldoutAuc(frame);

        Assert.True(auc > 0.72, $"holdout AUC {auc:F3}");
    }

    [Fact]
    public void Label_noise_makes_labels_harder_to_learn()
    {
        var options = new DemoGenerationOptions { TenantSlug = "noisy-co", Rows = 5000, LabelNoise = 0 };

        var clean = TinyLogisticRegression.HoldoutAuc(new DemoFrame(DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, options)));
        var noisy = TinyLogisticRegression.HoldoutAuc(
            new DemoFrame(DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, options with { LabelNoise = 0.4 })));

        Assert.True(noisy < clean - 0.05, $"clean {clean:F3}, noisy {noisy:F3}");
    }

    [Theory]
    [InlineData("tickets-a", "us")]
    [InlineData("tickets-b", "eu")]
    public void Ticket_queues_are_learnable_from_words_and_product_area(string slug, string region)
    {
        var frame = new DemoFrame(DemoDataGenerator.Generate(
            DemoUseCaseKeys.TicketRouting, new DemoGenerationOptions { TenantSlug = slug, Region = region, Rows = 5000 }));
        var labels = Enumerable.Range(0, frame.Count).Select(i => frame.Category(i, "queue")!).ToArray();
        var split = frame.Count * 7 / 10;
        var classifier = new NaiveBayesTextClassifier();
        for (var i = 0; i < split; i++)
        {
            classifier.Add(labels[i], Tokens(frame, i));
        }

        var correct = Enumerable.Range(split, frame.Count - split).Count(i => classifier.Predict(Tokens(frame, i)) == labels[i]);
        var accuracy = (double)correct / (frame.Count - split);
        var majority = labels.GroupBy(l => l).Max(g => g.Count()) / (double)labels.Length;

        Assert.InRange(frame.Dataset.LabelClasses.Count, 3, 6);
        // Must remove at least half of the errors that always guessing the biggest queue makes.
        Assert.True(accuracy > majority + ((1 - majority) / 2), $"accuracy {accuracy:F3}, majority {majority:F3}");
    }

    [Fact]
    public void Resolution_hours_are_predictable_from_priority_and_team()
    {
        var frame = new DemoFrame(DemoDataGenerator.Generate(
            DemoUseCaseKeys.ResolutionTime, new DemoGenerationOptions { TenantSlug = "sla-co", Rows = 5000 }));
        var logHours = Enumerable.Range(0, frame.Count).Select(i => Math.Log(frame.Number(i, "resolution_hours")!.Value)).ToArray();
        string Group(int i) => frame.Category(i, "priority") + "/" + frame.Category(i, "agent_team");
        var split = frame.Count * 7 / 10;
        var trainMean = logHours[..split].Average();
        var groupMeans = Enumerable.Range(0, split).GroupBy(Group).ToDictionary(g => g.Key, g => g.Average(i => logHours[i]));

        var test = Enumerable.Range(split, frame.Count - split).ToArray();
        var residual = test.Sum(i => Math.Pow(logHours[i] - groupMeans.GetValueOrDefault(Group(i), trainMean), 2));
        var total = test.Sum(i => Math.Pow(logHours[i] - trainMean, 2));
        var r2 = 1 - (residual / total);

        Assert.True(r2 > 0.3, $"holdout R² {r2:F3}");
    }

    private static IEnumerable<string> Tokens(DemoFrame frame, int row) =>
        NaiveBayesTextClassifier.Tokenize(frame.Raw(row, "subject"))
            .Concat(NaiveBayesTextClassifier.Tokenize(frame.Raw(row, "body")))
            .Append("area:" + frame.Category(row, "product_area"));
}
