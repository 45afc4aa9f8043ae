namespace ControlPlane.ML.Monitoring;

/// <summary>
/// What <see cref="ConfidenceBasedEstimate"/> needs of many rows without keeping them: the expected number of correct
/// predictions exactly, and the probabilities in <see cref="Bins"/> equal-width bins for the expected AUC (rows in one
/// bin count as tied, so the AUC is within about 1 / <see cref="Bins"/> of the exact one). Days are accumulated
/// separately and added up into rolling windows.
/// </summary>
public sealed class CbpeAccumulator
{
    public const int Bins = 1000;

    private readonly double[] _positive = new double[Bins];
    private readonly double[] _negative = new double[Bins];
    private double _correct;

    public long Rows { get; private set; }

    public void Add(double probability, bool predictedPositive)
    {
        if (!double.IsFinite(probability)) return;
        var p = Math.Clamp(probability, 0, 1);
        var bin = Math.Min(Bins - 1, (int)(p * Bins));
        _positive[bin] += p;
        _negative[bin] += 1 - p;
        _correct += predictedPositive ? p : 1 - p;
        Rows++;
    }

    public void Add(CbpeAccumulator other)
    {
        for (var i = 0; i < Bins; i++)
        {
            _positive[i] += other._positive[i];
            _negative[i] += other._negative[i];
        }

        _correct += other._correct;
        Rows += other.Rows;
    }

    public double Accuracy => Rows == 0 ? double.NaN : _correct / Rows;

    public double Auc
    {
        get
        {
            var groups = new List<(double, double)>(Bins);
            for (var i = Bins - 1; i >= 0; i--)
            {
                if (_positive[i] > 0 || _negative[i] > 0) groups.Add((_positive[i], _negative[i]));
            }

            return ConfidenceBasedEstimate.Auc(groups);
        }
    }
}
