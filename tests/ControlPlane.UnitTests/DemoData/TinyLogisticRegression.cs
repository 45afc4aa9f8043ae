using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

/// <summary>The simplest reasonable model a tenant could fit: one-hot categories, log numbers, gradient descent.</summary>
internal sealed class TinyLogisticRegression
{
    private readonly double[] _weights;
    private double _bias;

    private TinyLogisticRegression(int width) => _weights = new double[width];

    public static double[][] Features(DemoFrame frame)
    {
        var columns = new List<double[]>();
        foreach (var column in frame.Dataset.Columns.Where(c => c.Role == DemoColumnRole.Feature))
        {
            var name = column.CanonicalName;
            var missing = Enumerable.Range(0, frame.Count).Select(i => frame.Raw(i, name) is null ? 1.0 : 0.0).ToArray();
            columns.Add(missing);
            if (column.Kind == DemoColumnKind.Number)
            {
                columns.Add([.. Enumerable.Range(0, frame.Count).Select(i => Math.Log(1 + Math.Max(0, frame.Number(i, name) ?? 0)))]);
            }
            else if (column.Kind is DemoColumnKind.Category or DemoColumnKind.Boolean)
            {
                foreach (var value in column.Values.Keys)
                {
                    columns.Add([.. Enumerable.Range(0, frame.Count).Select(i => frame.Category(i, name) == value ? 1.0 : 0.0)]);
                }
            }
        }

        foreach (var values in columns)
        {
            Standardize(values);
        }

        return [.. Enumerable.Range(0, frame.Count).Select(i => columns.Select(c => c[i]).ToArray())];
    }

    public static TinyLogisticRegression Fit(double[][] x, bool[] y, IReadOnlyList<int> rows, int iterations = 300)
    {
        var model = new TinyLogisticRegression(x[0].Length);
        var gradient = new double[x[0].Length];
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(gradient);
            var biasGradient = 0.0;
            foreach (var i in rows)
            {
                var error = model.Probability(x[i]) - (y[i] ? 1 : 0);
                biasGradient += error;
                for (var j = 0; j < gradient.Length; j++)
                {
                    gradient[j] += error * x[i][j];
                }
            }

            model._bias -= 0.5 * biasGradient / rows.Count;
            for (var j = 0; j < gradient.Length; j++)
            {
                model._weights[j] -= 0.5 * ((gradient[j] / rows.Count) + (0.001 * model._weights[j]));
            }
        }

        return model;
    }

    public double Probability(double[] row)
    {
        var z = _bias;
        for (var j = 0; j < row.Length; j++)
        {
            z += _weights[j] * row[j];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Trains on the first 70% (by time) and returns the AUC on the rest.</summary>
    public static double HoldoutAuc(DemoFrame frame)
    {
        var x = Features(frame);
        var y = Enumerable.Range(0, frame.Count).Select(frame.Positive).ToArray();
        var split = frame.Count * 7 / 10;
        var model = Fit(x, y, [.. Enumerable.Range(0, split)]);
        var test = Enumerable.Range(split, frame.Count - split).ToArray();
        return RankMetrics.Auc([.. test.Select(i => model.Probability(x[i]))], [.. test.Select(i => y[i])]);
    }

    private static void Standardize(double[] values)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = sd > 1e-9 ? (values[i] - mean) / sd : 0;
        }
    }
}
