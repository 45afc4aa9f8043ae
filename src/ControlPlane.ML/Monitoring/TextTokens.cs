namespace ControlPlane.ML.Monitoring;

/// <summary>
/// The tokens text drift counts: runs of letters or digits, lower-cased (invariant). Deliberately simpler than the
/// featurizer's n-grams — drift asks "is this the same kind of text", not "what does the model see".
/// </summary>
internal static class TextTokens
{
    public static int Count(string text, Action<string>? onToken = null)
    {
        var count = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inToken = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inToken && start < 0)
            {
                start = i;
            }
            else if (!inToken && start >= 0)
            {
                count++;
                onToken?.Invoke(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return count;
    }
}
