using System.Globalization;

namespace ControlPlane.Core.DemoData;

/// <summary>Turns canonical values into the tenant's raw strings (units, decimals, spellings).</summary>
internal sealed class DemoColumnEncoder
{
    private readonly Dictionary<string, string> _values;
    private readonly string _numberFormat;
    private readonly int _decimals;

    public DemoColumnEncoder(DemoColumnSpec spec, DemoColumn column, int decimals, Dictionary<string, string> values)
    {
        Spec = spec;
        Column = column;
        _values = values;
        _decimals = decimals;
        _numberFormat = "F" + decimals.ToString(CultureInfo.InvariantCulture);
    }

    public DemoColumnSpec Spec { get; }

    public DemoColumn Column { get; }

    public string Number(double canonical)
    {
        var raw = canonical * Column.RawPerUnit;
        return _decimals == 0
            ? ((long)Math.Round(raw, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture)
            : raw.ToString(_numberFormat, CultureInfo.InvariantCulture);
    }

    public string Category(string canonical) =>
        _values.TryGetValue(canonical, out var raw)
            ? raw
            : throw new InvalidOperationException($"'{canonical}' is not a declared value of {Spec.Canonical}.");

    public string Flag(bool value) => _values[value ? "true" : "false"];
}
