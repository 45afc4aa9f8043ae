using ControlPlane.Core.DemoData;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>Batch scoring's columnar read gives the row-by-row scores, with several threads scoring one model at once.</summary>
public sealed class ColumnarScoringTests
{
    [Theory]
    [InlineData(DemoUseCaseKeys.ChurnRisk, TrainerNames.FastTree)]
    [InlineData(DemoUseCaseKeys.ChurnRisk, TrainerNames.LogisticRegression)]
    [InlineData(DemoUseCaseKeys.ResolutionTime, TrainerNames.FastTree)]
    public async Task Scores_read_into_columns_on_four_threads_are_the_row_by_row_scores(string useCase, string trainer)
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", useCase, maxRows: 2000);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [trainer], DefaultHyperparametersOnly = true });
        var expected = model.Score(demo.Table);

        var parts = Enumerable.Range(0, 4).Select(p => Enumerable.Range(0, demo.Table.RowCount).Where(r => r % 4 == p).ToArray());
        var scored = await Task.WhenAll(parts.Select(rows => Task.Run(() =>
        {
            var scores = new double[rows.Length];
            var keys = new string?[rows.Length];
            model.ScoreInto(RawTableRows.Select(demo.Table, rows), scores, keys);
            return (Rows: rows, Scores: scores, Keys: keys);
        })));

        Assert.Equal(demo.Table.RowCount, scored.Sum(s => s.Rows.Length));
        foreach (var (rows, scores, keys) in scored)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                Assert.Equal(expected[rows[i]].Score, scores[i]);
                Assert.Equal(expected[rows[i]].EntityKey, keys[i]);
            }
        }

        Assert.Contains(expected, s => s.EntityKey is not null);
    }
}
