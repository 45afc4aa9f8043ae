using System.Globalization;
using System.Text.RegularExpressions;
using ControlPlane.Core.Common;

namespace ControlPlane.Executor.Definitions;

public enum ParameterKind
{
    /// <summary>A UTC day: yyyy-MM-dd, or relative to the day the run starts ("today", "yesterday", "today-7").</summary>
    Day,

    /// <summary>A whole number within <see cref="PipelineParameter.Min"/>–<see cref="PipelineParameter.Max"/>.</summary>
    Integer,

    /// <summary>One of <see cref="PipelineParameter.Choices"/>.</summary>
    Choice,
}

/// <summary>
/// A parameter a pipeline declares (decision 0055): the start-run form shows a field per parameter with its type and
/// help, the API and schedules are checked against the same declaration, and a relative day is resolved when a run starts.
/// </summary>
public sealed record PipelineParameter(string Name, ParameterKind Kind, bool Required, string Description)
{
    public int? Min { get; init; }
    public int? Max { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Set by the product itself (who asked): accepted, never shown in a form.</summary>
    public bool Internal { get; init; }

    public static PipelineParameter Day(string name, bool required, string description) => new(name, ParameterKind.Day, required, description);

    public static PipelineParameter Integer(string name, bool required, string description, int? min = null, int? max = null) =>
        new(name, ParameterKind.Integer, required, description) { Min = min, Max = max };

    public static PipelineParameter Choice(string name, bool required, string description, params string[] choices) =>
        new(name, ParameterKind.Choice, required, description) { Choices = choices };

    /// <summary>The person or token a starter ran the pipeline for (kept with what it writes).</summary>
    public static PipelineParameter RequestedBy(string name) => new(name, ParameterKind.Choice, false, "Who asked for the run.") { Internal = true };
}

/// <summary>Checks and resolves a run's parameters against its pipeline's declarations.</summary>
public static partial class PipelineParameters
{
    /// <summary>
    /// Problems with <paramref name="values"/> under the field "parameters.{name}": a missing required one, one not
    /// declared (for a pipeline that declares its parameters), one of the wrong form or out of range.
    /// </summary>
    public static ValidationErrors Check(PipelineDefinition pipeline, IReadOnlyDictionary<string, string>? values, ValidationErrors? into = null)
    {
        var errors = into ?? new ValidationErrors();
        values ??= new Dictionary<string, string>();
        if (!pipeline.DeclaresParameters) return errors;
        foreach (var name in values.Keys.Where(k => pipeline.Parameters.All(p => p.Name != k)))
        {
            errors.Add($"parameters.{name}", pipeline.Parameters.Count == 0
                ? $"Pipeline '{pipeline.Name}' takes no parameters."
                : $"Pipeline '{pipeline.Name}' has no parameter '{name}' (it takes {string.Join(", ", pipeline.Parameters.Select(p => p.Name))}).");
        }

        foreach (var p in pipeline.Parameters)
        {
            var field = $"parameters.{p.Name}";
            if (!values.TryGetValue(p.Name, out var text) || string.IsNullOrWhiteSpace(text))
            {
                if (p.Required) errors.Add(field, $"{p.Name} is required: {p.Description}");
                continue;
            }

            if (Problem(p, text.Trim()) is { } problem) errors.Add(field, problem);
        }

        return errors;
    }

    /// <summary>The values a run starts with: relative days turned into dates of <paramref name="today"/>; others as given.</summary>
    public static IReadOnlyDictionary<string, string>? Resolve(PipelineDefinition pipeline, IReadOnlyDictionary<string, string>? values, DateOnly today)
    {
        if (values is null) return null;
        return values.ToDictionary(v => v.Key, v => pipeline.Parameters.FirstOrDefault(p => p.Name == v.Key) is { Kind: ParameterKind.Day }
                && RelativeDay(v.Value, today) is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : v.Value, StringComparer.Ordinal);
    }

    /// <summary>"2026-01-31", "today", "yesterday", "today-7" (up to 3,660 days back) as a day; null for anything else.</summary>
    public static DateOnly? RelativeDay(string text, DateOnly today)
    {
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        if (text.Equals("today", StringComparison.OrdinalIgnoreCase)) return today;
        if (text.Equals("yesterday", StringComparison.OrdinalIgnoreCase)) return today.AddDays(-1);
        var m = Relative().Match(text);
        return m.Success && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 3660
            ? today.AddDays(-n) : null;
    }

    private static string? Problem(PipelineParameter p, string text) => p.Internal ? null : p.Kind switch
    {
        ParameterKind.Day => RelativeDay(text, DateOnly.FromDateTime(DateTime.UtcNow)) is null
            ? $"{p.Name} must be a day as yyyy-MM-dd, or today, yesterday or today-N (N days back); it was '{TextLimits.Clip(text, 40)}'."
            : null,
        ParameterKind.Integer => !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? $"{p.Name} must be a whole number; it was '{TextLimits.Clip(text, 40)}'."
            : n < (p.Min ?? int.MinValue) || n > (p.Max ?? int.MaxValue)
                ? $"{p.Name} must be between {p.Min?.ToString(CultureInfo.InvariantCulture) ?? "…"} and {p.Max?.ToString(CultureInfo.InvariantCulture) ?? "…"}; it was {n}."
                : null,
        _ => p.Choices.Contains(text, StringComparer.Ordinal) ? null
            : $"{p.Name} must be one of {string.Join(", ", p.Choices)}; it was '{TextLimits.Clip(text, 40)}'.",
    };

    [GeneratedRegex(@"^today\s*-\s*(?<n>\d{1,4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();
}
