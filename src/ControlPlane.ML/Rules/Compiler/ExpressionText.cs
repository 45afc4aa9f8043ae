using System.Globalization;
using System.Text;

namespace ControlPlane.ML.Rules.Compiler;

/// <summary>
/// Reads and writes the text of ML.NET's expression language (<c>ml.Transforms.Expression</c>), the only way rules
/// compute values that still save and load with the model. What the rules rely on, checked against ML.NET 5.0.1:
/// <list type="bullet">
/// <item>A lambda <c>(a, b) =&gt; body</c> (or <c>x : body</c>) over at most 5 input columns; parameters take the
/// column types Single, Double, Int32, Int64, Boolean and Text, and the output type is inferred.</item>
/// <item>Operators <c>+ - * / % ^</c>, comparisons <c>= == != &lt;&gt; &lt; &lt;= &gt; &gt;=</c> (chainable, and
/// <c>=</c> compares text too), <c>and or not &amp;&amp; || !</c>, <c>c ? a : b</c>, and local names
/// <c>with(a = e1, b = e2; body)</c>. Keywords are <c>true false not and or with</c>; the language is case sensitive.</item>
/// <item>Literals: <c>15</c> is Int32, <c>1.5</c> and <c>2f</c> are Single, <c>2d</c> is Double, <c>"text"</c> with backslash escapes.
/// Mixed operands widen (Int32 with Double gives Double).</item>
/// <item>Functions: <c>abs sign exp ln log sqrt floor ceil round trunc min max pi sin cos tan</c> and friends,
/// <c>isna(x)</c>, <c>na(x)</c> (the missing value of x's type), <c>float double int long bool text</c> conversions,
/// <c>len lower upper left right mid concat</c> on text.</item>
/// <item>Missing numbers are NaN: arithmetic keeps them, comparisons with NaN are false. Missing text is empty.</item>
/// <item>Parse and type errors surface when the estimator is built or fitted, as <c>parsing failed: at '…': …</c> or
/// <c>binding failed: at '…': …</c>.</item>
/// </list>
/// </summary>
internal static class ExpressionText
{
    public const int MaxInputs = 5;

    private static readonly HashSet<string> Keywords = ["true", "false", "not", "and", "or", "with"];

    /// <summary>A Single literal: "60f", "(-2.5f)".</summary>
    public static string Float(double value)
    {
        var text = ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        return value < 0 ? $"({text})" : text;
    }

    /// <summary>A Double literal: "1700000000d", "(-86400d)".</summary>
    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture) + "d";
        return value < 0 ? $"({text})" : text;
    }

    public static string String(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A column name as an expression identifier: each run of other characters becomes '_' ("Cs As Of" → Cs_As_Of).</summary>
    public static string IdentifierForm(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                sb.Append(c);
            }
            else if (sb.Length == 0 || sb[^1] != '_')
            {
                sb.Append('_');
            }
        }

        return sb.Length > 0 && char.IsAsciiDigit(sb[0]) ? "_" + sb : sb.ToString();
    }

    /// <summary>The longest expression a rule may hold, in characters.</summary>
    public const int MaxLength = 2_000;

    /// <summary>How deep parentheses, brackets and braces may nest.</summary>
    public const int MaxDepth = 32;

    /// <summary>How many prefix operators (-, +, !) may follow each other.</summary>
    public const int MaxOperatorRun = 16;

    /// <summary>
    /// Why <paramref name="expression"/> is refused before any parser sees it, or null. ML.NET's expression parser
    /// recurses once per nesting level and per prefix operator, on the caller's stack: 100,000 parentheses overflowed it
    /// and killed the process (a stack overflow cannot be caught). Checked on the length first, then over the tokens.
    /// </summary>
    public static string? TooComplex(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
        {
            return $"An expression may be at most {MaxLength:N0} characters; this one has {expression.Length:N0}. Compute part of it as an earlier feature.";
        }

        // The length is bounded above, so the expression's own tokens (quoted text one literal) are cheap to read.
        int depth = 0, deepest = 0, run = 0, longestRun = 0;
        foreach (var token in Tokenize(expression))
        {
            var text = token.Kind == TokenKind.Punctuation ? token.Text : "";
            run = text is "-" or "+" or "!" ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
            depth += text is "(" or "[" or "{" ? 1 : text is ")" or "]" or "}" ? -1 : 0;
            deepest = Math.Max(deepest, depth);
        }

        return deepest > MaxDepth
            ? $"An expression may nest at most {MaxDepth} parentheses deep; this one nests {deepest:N0}. Compute part of it as an earlier feature."
            : longestRun > MaxOperatorRun
                ? $"An expression may chain at most {MaxOperatorRun} signs (-, +, !) in a row; this one chains {longestRun:N0}."
                : null;
    }

    public static bool LooksLikeLambda(string expression) => expression.Contains("=>", StringComparison.Ordinal);

    /// <summary>
    /// The free identifiers of an expression body, in order of first use, each with its positions: names that are not
    /// keywords, not function names (followed by '(' or after a '.'), and not locals bound by <c>with</c>.
    /// </summary>
    public static IReadOnlyList<Identifier> FreeIdentifiers(string body)
    {
        var tokens = Tokenize(body);
        var locals = WithLocals(tokens);
        var result = new List<Identifier>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != TokenKind.Identifier || Keywords.Contains(t.Text) || locals.Contains(t.Text))
            {
                continue;
            }

            var isCall = i + 1 < tokens.Count && tokens[i + 1].Text == "(";
            var afterDot = i > 0 && tokens[i - 1].Text == ".";
            if (!isCall && !afterDot)
            {
                result.Add(new Identifier(t.Text, t.Start));
            }
        }

        return result;
    }

    /// <summary>Replaces identifiers (positions from <see cref="FreeIdentifiers"/>) with new names.</summary>
    public static string Rewrite(string body, IEnumerable<(Identifier Identifier, string Replacement)> replacements)
    {
        var sb = new StringBuilder(body);
        foreach (var (id, replacement) in replacements.OrderByDescending(r => r.Identifier.Start))
        {
            sb.Remove(id.Start, id.Name.Length).Insert(id.Start, replacement);
        }

        return sb.ToString();
    }

    private static HashSet<string> WithLocals(List<Token> tokens)
    {
        var locals = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Text != "with" || tokens[i + 1].Text != "(")
            {
                continue;
            }

            // with(a = e1, b = e2; body): a name directly after "(" or a top-level ',' and before '=' is a local.
            var depth = 0;
            for (var j = i + 1; j < tokens.Count; j++)
            {
                var text = tokens[j].Text;
                if (text == "(") depth++;
                else if (text == ")" && --depth == 0) break;
                else if (text == ";" && depth == 1) break;
                if ((text == "(" && depth == 1 || text == "," && depth == 1)
                    && j + 2 < tokens.Count && tokens[j + 1].Kind == TokenKind.Identifier && tokens[j + 2].Text == "=")
                {
                    locals.Add(tokens[j + 1].Text);
                }
            }
        }

        return locals;
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                for (i++; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\') i++;
                }

                i = Math.Min(i + 1, s.Length);
                tokens.Add(new Token(TokenKind.Literal, s[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
            {
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '.')) i++;
                tokens.Add(new Token(TokenKind.Literal, s[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c == '_' || c == '@')
            {
                i++;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_')) i++;
                var text = s[start..i].TrimStart('@');
                tokens.Add(new Token(TokenKind.Identifier, text, s[start] == '@' ? start + 1 : start));
            }
            else
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : "";
                var length = two is "==" or "!=" or "<=" or ">=" or "<>" or "=>" or "&&" or "||" or "??" ? 2 : 1;
                tokens.Add(new Token(TokenKind.Punctuation, s.Substring(i, length), start));
                i += length;
            }
        }

        return tokens;
    }

    public sealed record Identifier(string Name, int Start);

    private enum TokenKind { Identifier, Literal, Punctuation }

    private sealed record Token(TokenKind Kind, string Text, int Start);
}
