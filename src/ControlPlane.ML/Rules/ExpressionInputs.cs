using ControlPlane.ML.Rules.Compiler;

namespace ControlPlane.ML.Rules;

/// <summary>
/// The names a rule's expression reads, as the rules compiler reads them: its explicit <c>inputs</c> when given, else
/// the parameters of a lambda ("(a, b) =&gt; a &gt; b") or the free identifiers of a body ("spend / seats"): not
/// keywords, function names, quoted text or <c>with</c> locals. For callers that only need to know which columns must
/// exist (dataset validation); the compiler parses and type-checks the expression for real.
/// </summary>
public static class ExpressionInputs
{
    public static IReadOnlyList<string> Of(string expression, IReadOnlyList<string>? inputs)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (inputs is { Count: > 0 }) return inputs;
        var arrow = expression.IndexOf("=>", StringComparison.Ordinal);
        var names = ExpressionText.FreeIdentifiers(arrow >= 0 ? expression[..arrow] : expression);
        return names.Select(n => n.Name).Distinct(StringComparer.Ordinal).ToArray();
    }
}
