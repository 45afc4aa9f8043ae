using System.Globalization;
using System.Text.Json;

namespace ControlPlane.Core.Monitoring.Health;

/// <summary>One aspect's part in a verdict: drift, decay, sla or model-age, the verdict it alone would give, and its figure.</summary>
public sealed record VerdictEvidence(string Aspect, string Verdict, string Text);

/// <summary>
/// An enrollment's health: the verdict (<see cref="Verdicts"/>), the reason (the worst evidence, in words) and every
/// aspect judged. Computed only by <see cref="Judge"/>, stored by <see cref="HealthVerdictService"/>, read by every surface.
/// </summary>
public sealed record HealthVerdict(string Verdict, string Reason, IReadOnlyList<VerdictEvidence> Evidence)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HealthVerdict NoData { get; } = new(Verdicts.NoData, "No drift, decay or SLA check has run yet.", []);

    /// <summary>The evidence at the verdict's own level: what the reason names.</summary>
    public IEnumerable<VerdictEvidence> Worst => Evidence.Where(e => e.Verdict == Verdict);

    /// <summary>
    /// Judges the stored aspects (the drift, decay and SLA checks' columns of <see cref="EnrollmentHealth"/>) and the
    /// champion's age against <paramref name="maxModelAgeDays"/>. Drift says drift only after the policy's windows in a
    /// row (the drift check stores watch before); decay's warning and a model past 80 % of its maximum age are watch; a
    /// missed SLA and a model past its maximum age are failing. Aspects never checked or without data do not count; with
    /// none, the verdict is no data. The worst aspect wins (<see cref="Verdicts.Rank"/>).
    /// </summary>
    public static HealthVerdict Judge(
        string? drift, string? driftNote, string? decay, string? decayNote, string? sla, string? slaNote,
        int? maxModelAgeDays, DateTime? championTrainedAt, DateTime now)
    {
        var evidence = new List<VerdictEvidence>();
        Add(evidence, "drift", drift switch { "drift" => Verdicts.Drift, "watch" or "warning" => Verdicts.Watch, "ok" => Verdicts.Healthy, _ => null },
            drift switch { "drift" => "drift", "watch" or "warning" => "drift to watch", _ => "no drift" }, driftNote);
        Add(evidence, "decay", decay switch { "decay" => Verdicts.Decay, "warning" => Verdicts.Watch, "ok" => Verdicts.Healthy, _ => null },
            decay switch { "decay" => "decay", "warning" => "decay warning", _ => "no decay" }, decayNote);
        Add(evidence, "sla", sla switch { "missed" => Verdicts.Failing, "ok" => Verdicts.Healthy, _ => null },
            sla == "missed" ? "SLA missed" : "SLAs met", sla == "missed" ? slaNote : null);
        if (maxModelAgeDays is { } max && championTrainedAt is { } trained)
        {
            var days = Math.Max(0, (now - trained).TotalDays);
            var verdict = days > max ? Verdicts.Failing : days > 0.8 * max ? Verdicts.Watch : Verdicts.Healthy;
            evidence.Add(new VerdictEvidence("model-age", verdict,
                $"model {((int)days).ToString(CultureInfo.InvariantCulture)} d old (max {max.ToString(CultureInfo.InvariantCulture)})"));
        }

        if (evidence.Count == 0)
        {
            return NoData;
        }

        var ordered = evidence.OrderByDescending(e => Verdicts.Rank(e.Verdict)).ToList();
        var worst = ordered[0].Verdict;
        var reason = worst == Verdicts.Healthy
            ? "Healthy: " + string.Join(" · ", ordered.Select(e => e.Text))
            : string.Join(" · ", ordered.Where(e => e.Verdict == worst).Select(e => e.Text));
        return new HealthVerdict(worst, Clip(reason, 500), ordered);
    }

    public string EvidenceJson() => JsonSerializer.Serialize(Evidence, Json);

    /// <summary>A stored verdict read back; no data when nothing was stored.</summary>
    public static HealthVerdict Stored(string? verdict, string? reason, string? evidenceJson)
    {
        if (verdict is null)
        {
            return NoData;
        }

        IReadOnlyList<VerdictEvidence> evidence = [];
        if (!string.IsNullOrEmpty(evidenceJson))
        {
            try
            {
                evidence = JsonSerializer.Deserialize<List<VerdictEvidence>>(evidenceJson, Json) ?? [];
            }
            catch (JsonException)
            {
                // A damaged row still shows its verdict and reason.
            }
        }

        return new HealthVerdict(Verdicts.Of(verdict), reason ?? "", evidence);
    }

    private static void Add(List<VerdictEvidence> evidence, string aspect, string? verdict, string label, string? note)
    {
        if (verdict is not null)
        {
            evidence.Add(new VerdictEvidence(aspect, verdict, string.IsNullOrWhiteSpace(note) ? label : $"{label}: {note}"));
        }
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
