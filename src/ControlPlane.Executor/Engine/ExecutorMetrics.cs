using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ControlPlane.Core.Pipelines;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// The executor's instruments (meter <c>ControlPlane.Executor</c>): attempt durations by pipeline, task and outcome,
/// the tasks waiting for a slot per pool (as the dispatcher last counted them) and the attempts running on this node.
/// Pipeline and task names come from the pipeline catalog, so the label sets stay as small as the catalog; the tenant
/// is never a label.
/// </summary>
public sealed class ExecutorMetrics
{
    public const string MeterName = "ControlPlane.Executor";

    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, int> _queued = new(StringComparer.Ordinal);

    public ExecutorMetrics(LocalAttempts local, IMeterFactory? meters = null)
    {
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _duration = meter.CreateHistogram("controlplane.task.duration", unit: "s",
            description: "Duration of task attempts on this node, by pipeline, task and outcome (succeeded, failed, timed_out, cancelled, interrupted).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] });
        meter.CreateObservableGauge("controlplane.task.queued", ObserveQueued, unit: "{task}",
            description: "Tasks ready to run and waiting for a pool slot, per pool, as this node's dispatcher last counted them.");
        meter.CreateObservableGauge("controlplane.task.running", () => local.Count, unit: "{attempt}",
            description: "Task attempts running on this node.");
    }

    /// <summary>Records a finished attempt; the histogram's count per outcome doubles as the outcome counter.</summary>
    public void AttemptFinished(string pipeline, string task, AttemptState outcome, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new TagList
        {
            { "pipeline", pipeline }, { "task", task }, { "outcome", Outcome(outcome) },
        });

    /// <summary>The waiting tasks per pool after a dispatch cycle; pools not named have none waiting.</summary>
    public void Queued(IReadOnlyDictionary<string, int> waitingByPool)
    {
        foreach (var pool in _queued.Keys)
        {
            if (!waitingByPool.ContainsKey(pool))
            {
                _queued[pool] = 0;
            }
        }

        foreach (var (pool, waiting) in waitingByPool)
        {
            _queued[pool] = waiting;
        }
    }

    private static string Outcome(AttemptState state) => state switch
    {
        AttemptState.Succeeded => "succeeded",
        AttemptState.TimedOut => "timed_out",
        AttemptState.Cancelled => "cancelled",
        AttemptState.Interrupted => "interrupted",
        _ => "failed",
    };

    private IEnumerable<Measurement<int>> ObserveQueued()
    {
        foreach (var (pool, waiting) in _queued)
        {
            yield return new Measurement<int>(waiting, new KeyValuePair<string, object?>("pool", pool));
        }
    }
}
