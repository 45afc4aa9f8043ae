using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// The drift gauge <c>controlplane.drift.enrollments</c>: how many enrollments of each use case are in each drift
/// status. The drift feature calls <see cref="Set"/> after each evaluation of a use case; the gauge only reads what it
/// was given, so a scrape never touches the database. Labels are the use case and the status only — never the tenant —
/// so the series stay few at 10,000 tenants. Empty until the first <see cref="Set"/>.
/// </summary>
public sealed class DriftGauges
{
    public const string MeterName = "ControlPlane.Monitoring";

    /// <summary>The statuses the gauge reports; a use case's missing statuses count 0, unknown ones are refused.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["ok", "warning", "drift", "no_data"];

    private static readonly FrozenSet<string> Known = Statuses.ToFrozenSet(StringComparer.Ordinal);

    // Replaced whole on each Set: a scrape reads one consistent snapshot per use case without a lock.
    private volatile FrozenDictionary<string, FrozenDictionary<string, int>> _counts = FrozenDictionary<string, FrozenDictionary<string, int>>.Empty;
    private readonly Lock _writes = new();

    public DriftGauges(IMeterFactory? meters = null)
    {
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        meter.CreateObservableGauge("controlplane.drift.enrollments", Observe, unit: "{enrollment}",
            description: "Enrollments per use case in each drift status (ok, warning, drift, no_data).");
    }

    /// <summary>Replaces the use case's counts by status (keys among <see cref="Statuses"/>; absent ones count 0).</summary>
    public void Set(string useCase, IReadOnlyDictionary<string, int> countsByStatus)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(useCase);
        ArgumentNullException.ThrowIfNull(countsByStatus);
        foreach (var (status, count) in countsByStatus)
        {
            if (!Known.Contains(status))
            {
                throw new ArgumentException($"Unknown drift status '{status}'; expected one of {string.Join(", ", Statuses)}.", nameof(countsByStatus));
            }

            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(countsByStatus));
        }

        var counts = Statuses.ToFrozenDictionary(s => s, s => countsByStatus.GetValueOrDefault(s), StringComparer.Ordinal);
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
                yield return new Measurement<int>(count, new TagList { { "use_case", useCase }, { "status", status } });
            }
        }
    }
}
