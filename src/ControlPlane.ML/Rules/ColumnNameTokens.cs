using System.Text;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Column names as comparable words: "MonthlySpendCents", "monthly-spend cents" and "MONTHLY_SPEND_CENTS" all become
/// monthly, spend, cent. Words are lower-cased and singular; <see cref="Key"/> joins them so "PageViews" equals "pageviews".
/// </summary>
internal static class ColumnNameTokens
{
    public static string[] Split(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(word, words);
                continue;
            }

            var previous = i > 0 ? name[i - 1] : ' ';
            var next = i + 1 < name.Length ? name[i + 1] : ' ';

            // camelCase and PascalCase boundaries (also "NPSScore" → NPS, Score), and letters followed by digits ("logins30d").
            var boundary = (char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next))))
                || (char.IsDigit(c) && char.IsLetter(previous));
            if (boundary)
            {
                Flush(word, words);
            }

            word.Append(char.ToLowerInvariant(c));
        }

        Flush(word, words);
        return [.. words];
    }

    public static string Key(IEnumerable<string> words) => string.Concat(words);

    /// <summary>Singular form, crudely: "tickets" → "ticket", "categories" → "category"; short words, "-ss", "-us" and "-is" stay.</summary>
    public static string Stem(string word) => word switch
    {
        { Length: > 4 } when word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        { Length: > 3 } when word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal) && !char.IsDigit(word[^2]) => word[..^1],
        _ => word,
    };

    private static void Flush(StringBuilder word, List<string> words)
    {
        if (word.Length > 0)
        {
            words.Add(Stem(word.ToString()));
            word.Clear();
        }
    }
}
