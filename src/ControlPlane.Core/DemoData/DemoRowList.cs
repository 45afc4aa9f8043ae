using System.Collections;

namespace ControlPlane.Core.DemoData;

/// <summary>Hands out read-only views so callers cannot alter a dataset that tests compare byte for byte.</summary>
internal sealed class DemoRowList(string?[][] rows) : IReadOnlyList<IReadOnlyList<string?>>
{
    public int Count => rows.Length;

    public IReadOnlyList<string?> this[int index] => Array.AsReadOnly(rows[index]);

    public IEnumerator<IReadOnlyList<string?>> GetEnumerator()
    {
        foreach (var row in rows)
        {
            yield return Array.AsReadOnly(row);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
