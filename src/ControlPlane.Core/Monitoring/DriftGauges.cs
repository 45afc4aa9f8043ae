using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// A gauge of how many enrollments of each use case are in each status. The feature that judges calls <see cref="Set"/>
/// after each evaluation of a use case; the gauge only reads what it was given, so a scrape never touches the database.
/// Labels are the use case and the status only — never the tenant — so the series stay few at 10,000 tenants. Empty
/// until the first <see cref="Set"/>.
/// </summary>
public abstract class StatusGauges
{
    public const string MeterName = "ControlPlane.Monitoring";

    private readonly IReadOnlyList<string> _statuses;
    private readonly FrozenSet<string> _known;
    private readonly string _label;

    // Replaced whole on each Set: a scrape reads one consistent snapshot per use case without a lock.
    private volatile FrozenDictionary<string, FrozenDictionary<string, int>> _counts = FrozenDictionary<string, FrozenDictionary<string, int>>.Empty;
    private readonly Lock _writes = new();

    protected StatusGauges(IMeterFactory? meters, string instrument, string label, IReadOnlyList<string> statuses, string description)
    {
        _statuses = statuses;
        _known = statuses.ToFrozenSet(StringComparer.Ordinal);
        _label = label;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        meter.CreateObservableGauge(instrument, Observe, unit: "{enrollment}", description: description);
    }

    /// <summary>Replaces the use case's counts by status (keys among the gauge's statuses; absent ones count 0).</summary>
    public void Set(string useCase, IReadOnlyDictionary<string, int> countsByStatus)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(useCase);
        ArgumentNullException.ThrowIfNull(countsByStatus);
        foreach (var (status, count) in countsByStatus)
        {
            if (!_known.Contains(status))
            {
                throw new ArgumentException($"Unknown {_label} '{status}'; expected one of {string.Join(", ", _statuses)}.", nameof(countsByStatus));
            }

            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(countsByStatus));
        }

        var counts = _statuses.ToFrozenDictionary(s => s, s => countsByStatus.GetValueOrDefault(s), StringComparer.Ordinal);
        lock (_writes)
        {
            var next = new Dictionary<string, FrozenDictionary<string, int>>(_counts, StringComparer.Ordinal) { [useCase] = counts };
            _counts = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>The counts last set for a use case, or null when it was never set.</summary>
    public IReadOnlyDictionary<string, int>? Get(string useCase) => _counts.GetValueOrDefault(useCase);

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (useCase, counts) in _counts)
        {
            foreach (var (status, count) in counts)
            {
                yield return new Measurement<int>(count, new TagList { { "use_case", useCase }, { _label, status } });
            }
        }
    }
}

/// <summary>The drift gauge <c>controlplane.drift.enrollments</c>: enrollments per use case in each drift aspect status.</summary>
public sealed class DriftGauges(IMeterFactory? meters = null) : StatusGauges(meters, "controlplane.drift.enrollments", "status", Statuses,
    "Enrollments per use case in each drift status (ok, watch, drift, no_data).")
{
    /// <summary>The statuses the gauge reports; a use case's missing statuses count 0, unknown ones are refused.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["ok", "watch", "drift", "no_data"];
}

/// <summary>The health gauge <c>controlplane.health.enrollments</c>: enrollments per use case with each verdict (<see cref="Health.Verdicts"/>).</summary>
public sealed class HealthGauges(IMeterFactory? meters = null) : StatusGauges(meters, "controlplane.health.enrollments", "verdict", Health.Verdicts.All,
    "Enrollments per use case with each health verdict (healthy, watch, drift, decay, failing, no_data).");
