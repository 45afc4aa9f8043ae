using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Real-time prediction instruments, on the serving meter: the request duration histogram and the rows predicted.
/// Attributes are the use case and the outcome only — never the tenant: at 10,000 tenants a tenant label would make
/// 10,000 × buckets series per node, more than a Prometheus server should hold for one histogram. The use case comes
/// from the URL, so a caller could invent names: a name is used as a label only once a request for it was answered
/// with predictions (a real use case); before that its failures count under "unknown".
/// </summary>
public sealed class PredictMetrics
{
    public const string DurationName = "controlplane.predict.duration";

    /// <summary>Bucket bounds in seconds, from 0.1 ms (a cached model's single row) to 1 s (a cold load of a large model).</summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rows;
    private readonly ConcurrentDictionary<string, string> _served = new(StringComparer.Ordinal);

    public PredictMetrics(IMeterFactory? meters = null)
    {
        var meter = meters?.Create(ModelCache.MeterName) ?? new Meter(ModelCache.MeterName);
        _duration = meter.CreateHistogram(DurationName, unit: "s",
            description: "Time to answer a predict request, from the key check to the serialized answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _rows = meter.CreateCounter<long>("controlplane.predict.rows", unit: "{row}", description: "Rows scored by real-time prediction.");
    }

    /// <summary>Records one answered request; <paramref name="status"/> is its HTTP status, mapped onto ok / client_error / server_error.</summary>
    public void Record(string useCase, int status, TimeSpan elapsed, int rows)
    {
        var outcome = status switch { < 400 => "ok", < 500 => "client_error", _ => "server_error" };
        var label = status < 400 ? _served.GetOrAdd(useCase, useCase) : _served.GetValueOrDefault(useCase, "unknown");
        _duration.Record(elapsed.TotalSeconds, new TagList { { "use_case", label }, { "outcome", outcome } });
        if (rows > 0)
        {
            _rows.Add(rows, new KeyValuePair<string, object?>("use_case", label));
        }
    }
}
