namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Seeded samples for the drift tests, so every run sees the same values.</summary>
internal static class Samples
{
    /// <summary>Normal(mean, 1) by Box–Muller from a seeded generator.</summary>
    public static double[] Normal(int seed, int rows, double mean)
    {
        var random = new Random(seed);
        var values = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var u = 1 - random.NextDouble();
            values[i] = mean + Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return values;
    }
}
