using System.Globalization;

namespace ControlPlane.Core.Home;

/// <summary>How a home-matrix cell is coloured: unknown grey, ok green, warning amber, bad red.</summary>
public enum HealthLevel
{
    Unknown,
    Ok,
    Warning,
    Bad,
}

/// <summary>One aspect's contribution to a cell's health: drift, decay, sla or model-age, its level and a short text naming the figure.</summary>
public sealed record HealthCause(string Aspect, HealthLevel Level, string Text);

/// <summary>A cell's overall health (the worst of its aspects) and every aspect that was judged.</summary>
public sealed record MatrixHealth(HealthLevel Level, IReadOnlyList<HealthCause> Causes)
{
    public static MatrixHealth Unknown { get; } = new(HealthLevel.Unknown, []);

    /// <summary>The causes at the overall level, worst first: what the tooltip names.</summary>
    public IEnumerable<HealthCause> Worst => Causes.Where(c => c.Level == Level);

    /// <summary>
    /// Combines the stored check results (<see cref="Monitoring.EnrollmentHealth"/>) with the champion's age against
    /// <paramref name="maxModelAgeDays"/>; a model past 80 % of its maximum age is a warning. Aspects never checked,
    /// or with no data, do not count; a cell with none is unknown.
    /// </summary>
    public static MatrixHealth Of(
        string? drift, string? driftNote, string? decay, string? decayNote, string? sla, string? slaNote,
        int? maxModelAgeDays, DateTime? championTrainedAt, DateTime now)
    {
        var causes = new List<HealthCause>();
        Add(causes, "drift", drift switch { "drift" => HealthLevel.Bad, "warning" => HealthLevel.Warning, "ok" => HealthLevel.Ok, _ => HealthLevel.Unknown },
            Label("drift", drift), driftNote);
        Add(causes, "decay", decay switch { "decay" => HealthLevel.Bad, "warning" => HealthLevel.Warning, "ok" => HealthLevel.Ok, _ => HealthLevel.Unknown },
            Label("decay", decay), decayNote);
        Add(causes, "sla", sla switch { "missed" => HealthLevel.Bad, "ok" => HealthLevel.Ok, _ => HealthLevel.Unknown },
            sla == "missed" ? "SLA missed" : "SLAs met", sla == "missed" ? slaNote : null);
        if (maxModelAgeDays is { } max && championTrainedAt is { } trained)
        {
            var days = Math.Max(0, (now - trained).TotalDays);
            var level = days > max ? HealthLevel.Bad : days > 0.8 * max ? HealthLevel.Warning : HealthLevel.Ok;
            causes.Add(new HealthCause("model-age", level,
                $"model {((int)days).ToString(CultureInfo.InvariantCulture)} d old (max {max.ToString(CultureInfo.InvariantCulture)})"));
        }

        return causes.Count == 0 ? Unknown : new MatrixHealth(causes.Max(c => c.Level), causes.OrderByDescending(c => c.Level).ToList());
    }

    private static string Label(string aspect, string? status) => status switch
    {
        "ok" => $"no {aspect}",
        "warning" => $"{aspect} warning",
        _ => aspect,
    };

    private static void Add(List<HealthCause> causes, string aspect, HealthLevel level, string label, string? note)
    {
        if (level != HealthLevel.Unknown)
        {
            causes.Add(new HealthCause(aspect, level, string.IsNullOrWhiteSpace(note) ? label : $"{label}: {note}"));
        }
    }
}
