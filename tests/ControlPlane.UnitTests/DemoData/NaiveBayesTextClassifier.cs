namespace ControlPlane.UnitTests.DemoData;

/// <summary>Multinomial naive Bayes over lower-cased word tokens; enough to show ticket words carry the queue.</summary>
internal sealed class NaiveBayesTextClassifier
{
    private readonly Dictionary<string, Dictionary<string, int>> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _documents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _vocabulary = new(StringComparer.Ordinal);
    private int _documentCount;

    public static IEnumerable<string> Tokenize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    public void Add(string label, IEnumerable<string> tokens)
    {
        _documentCount++;
        _documents[label] = _documents.GetValueOrDefault(label) + 1;
        var counts = _counts.TryGetValue(label, out var existing) ? existing : _counts[label] = new(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
            _totals[label] = _totals.GetValueOrDefault(label) + 1;
            _vocabulary.Add(token);
        }
    }

    public string Predict(IEnumerable<string> tokens)
    {
        var list = tokens.ToList();
        string? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var (label, counts) in _counts)
        {
            var score = Math.Log((double)_documents[label] / _documentCount);
            var denominator = Math.Log(_totals.GetValueOrDefault(label) + _vocabulary.Count);
            foreach (var token in list)
            {
                score += Math.Log(counts.GetValueOrDefault(token) + 1) - denominator;
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = label;
            }
        }

        return best ?? throw new InvalidOperationException("Classifier has not been trained.");
    }
}
