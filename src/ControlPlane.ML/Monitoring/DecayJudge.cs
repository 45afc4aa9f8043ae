namespace ControlPlane.ML.Monitoring;

/// <summary>The verdict on one window's performance against the model's test metric.</summary>
public enum DecayStatus
{
    Ok,
    Warning,
    Decay,
    Skipped,
    NoData,
}

/// <summary>
/// Judges a window's metric by its relative loss against the test metric: loss = (expected − value) / |expected| when
/// higher is better, (value − expected) / |expected| otherwise (the absolute difference when expected is 0). Decay when
/// the loss reaches <c>alert</c>, warning when it reaches <c>warning</c>, else ok; a better window is ok.
/// </summary>
public static class DecayJudge
{
    public static double Loss(double value, double expected, bool higherIsBetter)
    {
        var worse = higherIsBetter ? expected - value : value - expected;
        return expected == 0 ? worse : worse / Math.Abs(expected);
    }

    public static DecayStatus Judge(double value, double expected, bool higherIsBetter, double warning, double alert)
    {
        if (!double.IsFinite(value) || !double.IsFinite(expected)) return DecayStatus.Skipped;
        var loss = Loss(value, expected, higherIsBetter);
        return loss >= alert ? DecayStatus.Decay : loss >= warning ? DecayStatus.Warning : DecayStatus.Ok;
    }

    /// <summary>The value at which a window turns to <paramref name="share"/> worse than <paramref name="expected"/>.</summary>
    public static double Threshold(double expected, bool higherIsBetter, double share)
    {
        var step = expected == 0 ? share : share * Math.Abs(expected);
        return higherIsBetter ? expected - step : expected + step;
    }
}
