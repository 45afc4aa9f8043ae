namespace ControlPlane.Core.Common;

/// <summary>Field-keyed validation messages collected while checking a request.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>
    /// One line for the problem details' <c>detail</c>: every message when there are few; with many, their count and the
    /// first ones, since each is also listed under its field.
    /// </summary>
    public string Summary
    {
        get
        {
            var messages = _errors.SelectMany(e => e.Value).ToArray();
            return messages.Length <= SummaryMessages
                ? string.Join(" ", messages)
                : $"{messages.Length} problems, each listed under its field. The first: {string.Join(" ", messages.Take(SummaryMessages))}";
        }
    }

    private const int SummaryMessages = 3;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
