using System.Globalization;
using System.Text;
using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

/// <summary>
/// A dataset as a consumer sees it: CSV bytes parsed back, columns found by raw header through the mapping,
/// and values decoded through the recorded units and spellings.
/// </summary>
internal sealed class DemoFrame
{
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public DemoFrame(DemoDataset dataset)
    {
        Dataset = dataset;
        using var stream = new MemoryStream();
        dataset.WriteCsv(stream);
        var records = DemoCsvReader.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        Header = records[0];
        Rows = records.Skip(1).ToList();
        foreach (var (canonical, raw) in dataset.Mapping)
        {
            _positions[canonical] = Array.IndexOf(Header, raw);
        }
    }

    public DemoDataset Dataset { get; }

    public string[] Header { get; }

    public List<string[]> Rows { get; }

    public int Count => Rows.Count;

    public string? Raw(int row, string canonical)
    {
        var value = Rows[row][_positions[canonical]];
        return value.Length == 0 ? null : value;
    }

    public double? Number(int row, string canonical) =>
        Raw(row, canonical) is { } raw
            ? Dataset.Column(canonical).ToCanonicalNumber(double.Parse(raw, CultureInfo.InvariantCulture))
            : null;

    public string? Category(int row, string canonical)
    {
        if (Raw(row, canonical) is not { } raw)
        {
            return null;
        }

        return Dataset.Column(canonical).ToCanonicalValue(raw)
            ?? throw new InvalidOperationException($"'{raw}' is not a declared spelling of {canonical}.");
    }

    public bool Positive(int row) => Category(row, Dataset.Label.CanonicalName) == "true";

    public DateTime Time(int row) => DateTime.ParseExact(
        Raw(row, Dataset.EventTime.CanonicalName)!,
        Dataset.EventTime.Format!,
        CultureInfo.InvariantCulture,
        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public IEnumerable<double> Numbers(string canonical, Func<int, bool>? where = null) =>
        Enumerable.Range(0, Count).Where(i => where is null || where(i)).Select(i => Number(i, canonical)).OfType<double>();
}
