namespace ControlPlane.Core.DemoData;

/// <summary>Draws binary labels from logistic scores calibrated to a base rate, then applies label noise.</summary>
internal static class DemoBinaryLabels
{
    public static void Write(DemoDatasetBuilder table, int labelColumn, double[] scores, double baseRate, DemoGenerationContext context)
    {
        var intercept = DemoLabelCalibrator.Intercept(scores, baseRate);
        var noise = context.Options.LabelNoise;
        var rng = context.Fork("labels");
        for (var i = 0; i < scores.Length; i++)
        {
            var positive = rng.Chance(DemoLabelCalibrator.Sigmoid(intercept + scores[i]));

            // Replacing (not flipping) keeps the observed rate at the base rate.
            if (rng.Chance(noise))
            {
                positive = rng.Chance(baseRate);
            }

            table.Flag(i, labelColumn, positive);
        }
    }
}
