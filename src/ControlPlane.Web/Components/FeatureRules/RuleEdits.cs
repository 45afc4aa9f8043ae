using System.Globalization;
using ControlPlane.ML.Rules;

namespace ControlPlane.Web.Components.FeatureRules;

/// <summary>
/// The edits the form makes to a tenant's overrides. Rule sets are immutable records: every edit returns a new one, so
/// the form, the JSON view and the preview always show the same draft.
/// </summary>
public static class RuleEdits
{
    public static FeatureRule? Own(this RuleSet overrides, string feature) =>
        overrides.Features.FirstOrDefault(f => f.Name == feature);

    /// <summary>Replaces the tenant's rule for the feature, or adds it when the feature was inherited or is new.</summary>
    public static RuleSet WithFeature(this RuleSet overrides, FeatureRule rule)
    {
        var features = overrides.Features.ToList();
        var index = features.FindIndex(f => f.Name == rule.Name);
        if (index >= 0)
        {
            features[index] = rule;
        }
        else
        {
            features.Add(rule);
        }

        return overrides with { Features = features };
    }

    /// <summary>Removes the tenant's rule for the feature: an inherited feature goes back to the use case's default.</summary>
    public static RuleSet WithoutFeature(this RuleSet overrides, string feature) =>
        overrides with { Features = overrides.Features.Where(f => f.Name != feature).ToArray() };

    public static RuleSet Dropping(this RuleSet overrides, string name) =>
        overrides.Drop.Contains(name) ? overrides : overrides with { Drop = [.. overrides.Drop, name] };

    public static RuleSet Restoring(this RuleSet overrides, string name) =>
        overrides with { Drop = overrides.Drop.Where(d => d != name).ToArray() };

    /// <summary>Points a mapping target ("label", "entityKey", "eventTime" or a feature) at a raw column.</summary>
    public static RuleSet Mapping(this RuleSet overrides, string target, string column) => target switch
    {
        "label" => overrides with { Label = (overrides.Label ?? new LabelRule()) with { Source = column, Expression = null, Inputs = null } },
        "entityKey" => overrides with { EntityKey = column },
        "eventTime" => overrides with { EventTime = column },
        _ => overrides.WithFeature((overrides.Own(target) ?? new FeatureRule { Name = target }) with { Source = column, Expression = null, Inputs = null }),
    };

    /// <summary>"a, b" → ["a", "b"]; empty → null (the field is left out of the JSON).</summary>
    public static IReadOnlyList<string>? Names(string? text)
    {
        var names = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length == 0 ? null : names;
    }

    public static string Names(IReadOnlyList<string>? names) => names is null ? "" : string.Join(", ", names);

    /// <summary>"10, 100, 1000" → bucket bounds; a part that is not a number is an error naming it.</summary>
    public static bool TryNumbers(string? text, out IReadOnlyList<double>? numbers, out string? error)
    {
        numbers = null;
        error = null;
        var parts = Names(text);
        if (parts is null)
        {
            return true;
        }

        var values = new List<double>();
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                error = $"'{part}' is not a number.";
                return false;
            }

            values.Add(value);
        }

        numbers = values;
        return true;
    }

    public static string Numbers(IReadOnlyList<double>? numbers) =>
        numbers is null ? "" : string.Join(", ", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>One "spelling = value" per line ↔ a values map; a line without "=" is an error naming it.</summary>
    public static bool TryValueMap(string? text, out IReadOnlyDictionary<string, string>? map, out string? error)
    {
        map = null;
        error = null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cut = line.IndexOf('=', StringComparison.Ordinal);
            if (cut <= 0)
            {
                error = $"'{line}' is not 'spelling = value'.";
                return false;
            }

            result[line[..cut].Trim()] = line[(cut + 1)..].Trim();
        }

        map = result.Count == 0 ? null : result;
        return true;
    }

    public static string ValueMap(IReadOnlyDictionary<string, string>? map) =>
        map is null ? "" : string.Join("\n", map.Select(p => $"{p.Key} = {p.Value}"));
}
