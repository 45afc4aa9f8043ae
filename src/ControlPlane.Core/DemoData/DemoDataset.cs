using System.Text;

namespace ControlPlane.Core.DemoData;

/// <summary>
/// One tenant's raw upload for one use case: header and rows as invariant-culture strings (null = empty cell),
/// plus the ground truth about how it maps to the canonical use-case columns.
/// </summary>
public sealed class DemoDataset
{
    private const int AsyncChunkRows = 2000;
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly DemoColumn[] _columns;
    private readonly string?[][] _rows;
    private readonly Dictionary<string, int> _byCanonical;

    internal DemoDataset(DemoColumn[] columns, string?[][] rows)
    {
        _columns = columns;
        _rows = rows;
        _byCanonical = columns.Select((c, i) => (c.CanonicalName, i)).ToDictionary(p => p.CanonicalName, p => p.i, StringComparer.Ordinal);
        Columns = Array.AsReadOnly(columns);
        Header = Array.AsReadOnly(columns.Select(c => c.RawName).ToArray());
        Rows = new DemoRowList(rows);
        Mapping = columns.ToDictionary(c => c.CanonicalName, c => c.RawName, StringComparer.Ordinal).AsReadOnly();
    }

    public required string UseCaseKey { get; init; }

    public required string TenantSlug { get; init; }

    /// <summary>Normalized region: "us", "eu", "apac" or "global".</summary>
    public required string Region { get; init; }

    /// <summary>"small-business", "mid-market" or "enterprise": the scale of the tenant's customers.</summary>
    public required string Segment { get; init; }

    public required DemoTaskKind Task { get; init; }

    /// <summary>Inclusive start of the event-time range.</summary>
    public required DateTime StartUtc { get; init; }

    /// <summary>Exclusive end of the event-time range (the as-of date).</summary>
    public required DateTime EndUtc { get; init; }

    public DateTime? DriftAfterUtc { get; init; }

    public bool ConceptDrift { get; init; }

    /// <summary>Canonical names of the features whose distribution shifts after <see cref="DriftAfterUtc"/>.</summary>
    public IReadOnlyList<string> DriftedColumns { get; init; } = [];

    /// <summary>Positive-class rate the labels were calibrated to; null for non-binary tasks.</summary>
    public double? TargetBaseRate { get; init; }

    /// <summary>Raw spellings of the label classes; empty for regression.</summary>
    public IReadOnlyList<string> LabelClasses { get; init; } = [];

    public IReadOnlyList<DemoColumn> Columns { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<IReadOnlyList<string?>> Rows { get; }

    public int RowCount => _rows.Length;

    /// <summary>Canonical column name → the tenant's raw header.</summary>
    public IReadOnlyDictionary<string, string> Mapping { get; }

    public DemoColumn EntityKey => _columns.Single(c => c.Role == DemoColumnRole.EntityKey);

    public DemoColumn EventTime => _columns.Single(c => c.Role == DemoColumnRole.EventTime);

    public DemoColumn Label => _columns.Single(c => c.Role == DemoColumnRole.Label);

    public DemoColumn Column(string canonicalName) => _columns[IndexOf(canonicalName)];

    public int IndexOf(string canonicalName) =>
        _byCanonical.TryGetValue(canonicalName, out var index)
            ? index
            : throw new ArgumentException($"Use case '{UseCaseKey}' has no column '{canonicalName}'.", nameof(canonicalName));

    public string? Value(int row, string canonicalName) => _rows[row][IndexOf(canonicalName)];

    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        DemoCsvWriter.WriteRecord(writer, _columns.Select(c => c.RawName).ToArray());
        foreach (var row in _rows)
        {
            DemoCsvWriter.WriteRecord(writer, row);
        }
    }

    /// <summary>Writes UTF-8 without BOM and leaves the stream open.</summary>
    public void WriteCsv(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
        WriteCsv(writer);
    }

    /// <summary>For streams that forbid synchronous I/O, such as ASP.NET Core response bodies.</summary>
    public async Task WriteCsvAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
        var chunk = new StringBuilder();
        using var chunkWriter = new StringWriter(chunk);
        DemoCsvWriter.WriteRecord(chunkWriter, _columns.Select(c => c.RawName).ToArray());
        for (var i = 0; i < _rows.Length; i++)
        {
            DemoCsvWriter.WriteRecord(chunkWriter, _rows[i]);
            if (i % AsyncChunkRows == AsyncChunkRows - 1)
            {
                await writer.WriteAsync(chunk, cancellationToken);
                chunk.Clear();
            }
        }

        await writer.WriteAsync(chunk, cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    public string ToCsv()
    {
        using var writer = new StringWriter();
        WriteCsv(writer);
        return writer.ToString();
    }
}
