namespace ControlPlane.Core.DemoData;

/// <summary>A categorical distribution over canonical values; immutable so drifted copies can share nothing.</summary>
internal sealed class DemoWeightedChoice
{
    private readonly string[] _values;
    private readonly double[] _weights;
    private readonly double[] _cumulative;

    public DemoWeightedChoice(IReadOnlyList<string> values, IReadOnlyList<double> weights)
    {
        if (values.Count == 0 || values.Count != weights.Count)
        {
            throw new ArgumentException("Values and weights must be non-empty and of equal length.", nameof(weights));
        }

        _values = [.. values];
        _weights = [.. weights];
        _cumulative = new double[_weights.Length];
        var total = 0.0;
        for (var i = 0; i < _weights.Length; i++)
        {
            total += Math.Max(0, _weights[i]);
            _cumulative[i] = total;
        }
    }

    public IReadOnlyList<string> Values => _values;

    public int PickIndex(DemoRandom rng)
    {
        var u = rng.NextDouble() * _cumulative[^1];
        for (var i = 0; i < _cumulative.Length - 1; i++)
        {
            if (u < _cumulative[i])
            {
                return i;
            }
        }

        return _cumulative.Length - 1;
    }

    public string Pick(DemoRandom rng) => _values[PickIndex(rng)];

    public int IndexOf(string value) => Array.IndexOf(_values, value);

    /// <summary>Tenant-specific frequencies: same categories, log-normally perturbed weights.</summary>
    public DemoWeightedChoice Jitter(DemoRandom rng, double sigma)
    {
        var weights = new double[_weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = _weights[i] * Math.Exp(rng.Normal(0, sigma));
        }

        return new DemoWeightedChoice(_values, weights);
    }

    public DemoWeightedChoice Boost(string value, double factor)
    {
        var weights = (double[])_weights.Clone();
        var index = IndexOf(value);
        if (index >= 0)
        {
            weights[index] *= factor;
        }

        return new DemoWeightedChoice(_values, weights);
    }

    public DemoWeightedChoice Only(IReadOnlyCollection<string> keep)
    {
        var values = new List<string>();
        var weights = new List<double>();
        for (var i = 0; i < _values.Length; i++)
        {
            if (keep.Contains(_values[i]))
            {
                values.Add(_values[i]);
                weights.Add(_weights[i]);
            }
        }

        return new DemoWeightedChoice(values, weights);
    }
}
