using System.Globalization;

namespace ControlPlane.Core.DemoData;

/// <summary>Row storage for one run: maps the tenant's columns, fills keys and times, then applies missingness.</summary>
internal sealed class DemoDatasetBuilder
{
    private readonly DemoGenerationContext _context;
    private readonly DemoColumnEncoder[] _encoders;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly string?[][] _rows;

    public DemoDatasetBuilder(DemoGenerationContext context, IReadOnlyList<DemoColumnSpec> specs)
    {
        _context = context;
        _encoders = DemoColumnMapper.Map(specs, context, context.Fork("columns"));
        for (var i = 0; i < _encoders.Length; i++)
        {
            _index[_encoders[i].Spec.Canonical] = i;
        }

        var count = context.Options.Rows;
        _rows = new string?[count][];
        var keyColumn = Array.FindIndex(_encoders, e => e.Spec.Role == DemoColumnRole.EntityKey);
        var timeColumn = Array.FindIndex(_encoders, e => e.Spec.Role == DemoColumnRole.EventTime);
        var timeFormat = _encoders[timeColumn].Column.Format;
        var keys = DemoEntityKeyFactory.Create(context.Style.Keys, context.UseCaseKey, context.Fork("keys"), count);
        for (var i = 0; i < count; i++)
        {
            var row = new string?[_encoders.Length];
            row[keyColumn] = keys[i];
            row[timeColumn] = context.TimeOf(i).ToString(timeFormat, CultureInfo.InvariantCulture);
            _rows[i] = row;
        }
    }

    public int Column(string canonical) => _index[canonical];

    public void Number(int row, int column, double canonicalValue) => _rows[row][column] = _encoders[column].Number(canonicalValue);

    public void Category(int row, int column, string canonicalValue) => _rows[row][column] = _encoders[column].Category(canonicalValue);

    public void Flag(int row, int column, bool value) => _rows[row][column] = _encoders[column].Flag(value);

    public void Text(int row, int column, string value) => _rows[row][column] = value;

    public DemoDataset Build(DemoTaskKind task, double? targetBaseRate, IReadOnlyList<string> driftedColumns)
    {
        var options = _context.Options;
        var rates = DemoMissingValuePlanner.ColumnRates(_encoders, options.MissingRate, _context.Fork("missing-columns"));
        DemoMissingValuePlanner.Apply(_rows, rates, _context.Fork("missing-cells"));
        var columns = _encoders.Select((e, i) => e.Column with { MissingRate = rates[i] }).ToArray();
        var label = columns.Single(c => c.Role == DemoColumnRole.Label);
        return new DemoDataset(columns, _rows)
        {
            UseCaseKey = _context.UseCaseKey,
            TenantSlug = options.TenantSlug,
            Region = _context.Region.Key,
            Segment = _context.Style.Segment switch
            {
                DemoTenantSegment.SmallBusiness => "small-business",
                DemoTenantSegment.MidMarket => "mid-market",
                _ => "enterprise",
            },
            Task = task,
            StartUtc = _context.StartUtc,
            EndUtc = _context.EndUtc,
            DriftAfterUtc = options.DriftAfterUtc,
            ConceptDrift = options.ConceptDrift,
            DriftedColumns = _context.HasDriftedRows ? driftedColumns : [],
            TargetBaseRate = targetBaseRate,
            LabelClasses = task == DemoTaskKind.Regression ? [] : [.. label.Values.Values],
        };
    }
}
