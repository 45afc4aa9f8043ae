using System.Text.RegularExpressions;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Says a JSON error in the words of the rules rather than of .NET: "Unknown field 'sourc'" instead of "could not be
/// mapped to any .NET member contained in type ...", and the allowed values of an enum field. Used by
/// <see cref="RuleJson.TryParse"/>, so every caller gets the readable message.
/// </summary>
internal static partial class RuleParseMessages
{
    public static RuleError Friendly(RuleError error)
    {
        var field = error.Path.Split('.')[^1];
        var where = Where().Match(error.Message) is { Success: true } m ? m.Value : "";
        if (error.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return error with { Message = $"Unknown field '{field}': check its spelling (field names are camelCase){where}." };
        }

        if (Converted().Match(error.Message + " ") is { Success: true } converted)
        {
            var type = typeof(RuleSet).Assembly.GetType(converted.Groups["type"].Value);
            var message = type is { IsEnum: true }
                ? $"'{field}' must be one of: {string.Join(", ", Enum.GetNames(type).Select(CamelCase))}{where}."
                : $"'{field}' has the wrong kind of value here: {Expected(converted.Groups["type"].Value)}{where}.";
            return error with { Message = message };
        }

        return error;
    }

    private static string Expected(string type) => type switch
    {
        _ when type.StartsWith("ControlPlane.", StringComparison.Ordinal) => "expected an object { ... }",
        _ when type.Contains("IReadOnlyList", StringComparison.Ordinal) => "expected a list [ ... ]",
        _ when type.Contains("IReadOnlyDictionary", StringComparison.Ordinal) => "expected an object of \"spelling\": \"value\" pairs",
        "System.String" => "expected text in quotes",
        _ => "expected a number",
    };

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex(@" \(line \d+, position \d+\)$")]
    private static partial Regex Where();

    [GeneratedRegex(@"could not be converted to (System\.Nullable`1\[)?(?<type>[^\]\s]+?)\]?\.? ")]
    private static partial Regex Converted();
}
