using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

/// <summary>
/// The categories a capped one-hot encoding keeps: the most frequent in the training rows (ties by ordinal order), so
/// the cap drops rare values rather than whatever came last. They become the key set of ML.NET's own one-hot
/// transform, which saves them with the model.
/// </summary>
internal static class CategoryCounts
{
    public static IDataView MostFrequent(MLContext ml, IDataView data, string column, int cap)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var col = data.Schema[column];
        using (var cursor = data.OpenSerialCursor([col]))
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(col);
            var value = default(ReadOnlyMemory<char>);
            var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
            while (cursor.MoveNext())
            {
                get(ref value);
                if (value.IsEmpty)
                {
                    continue;
                }

                if (lookup.TryGetValue(value.Span, out var n))
                {
                    lookup[value.Span] = n + 1;
                }
                else
                {
                    counts[value.ToString()] = 1;
                }
            }
        }

        var kept = counts
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(cap)
            .Select(kv => new Key { Value = kv.Key })
            .ToList();
        return ml.Data.LoadFromEnumerable(kept);
    }

    private sealed class Key
    {
        public string Value { get; set; } = "";
    }
}
