namespace ControlPlane.Core.DemoData;

/// <summary>Finds the logistic intercept that turns raw scores into the tenant's target base rate.</summary>
internal static class DemoLabelCalibrator
{
    private const int MaxSample = 20_000;

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double Intercept(double[] scores, double targetRate)
    {
        if (scores.Length == 0)
        {
            return 0;
        }

        // A strided sample is plenty for a 1-D root and keeps 100k-row runs cheap.
        var step = Math.Max(1, scores.Length / MaxSample);
        double low = -30, high = 30;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var mid = (low + high) / 2;
            double sum = 0;
            var n = 0;
            for (var i = 0; i < scores.Length; i += step)
            {
                sum += Sigmoid(mid + scores[i]);
                n++;
            }

            if (sum / n < targetRate)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }
}
