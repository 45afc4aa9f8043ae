namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// The names an ML.NET expression reads: the parameters of an explicit lambda ("(a, b) =&gt; a &gt; b"), or the
/// identifiers of a body ("spend / seats") that are neither functions, keywords nor quoted text. Validation only needs
/// to know which columns must exist; the rules compiler parses the expression for real.
/// </summary>
public static class ExpressionInputs
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "and", "or", "not", "na", "null" };

    public static IReadOnlyList<string> Of(string expression, IReadOnlyList<string>? inputs)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (inputs is { Count: > 0 }) return inputs;
        var arrow = expression.IndexOf("=>", StringComparison.Ordinal);
        return arrow >= 0 ? Identifiers(expression[..arrow]) : Identifiers(expression, skipCalls: true);
    }

    private static IReadOnlyList<string> Identifiers(string text, bool skipCalls = false)
    {
        var names = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                var end = text.IndexOf(c, i + 1);
                i = end < 0 ? text.Length : end + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                var name = text[start..i];
                var next = i;
                while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
                var isCall = skipCalls && next < text.Length && text[next] == '(';
                if (!isCall && !Keywords.Contains(name) && !names.Contains(name, StringComparer.Ordinal)) names.Add(name);
            }
            else if (char.IsDigit(c))
            {
                // A number such as 1e5 must not yield the identifier "e5".
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.')) i++;
            }
            else i++;
        }
        return names;
    }
}
