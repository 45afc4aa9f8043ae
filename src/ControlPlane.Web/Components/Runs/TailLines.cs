namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// The lines of one attempt's log tail: stored lines in their order, then the live lines not stored yet (the newest),
/// each line once, at most <see cref="Keep"/> of them.
/// </summary>
public sealed class TailLines(int keep)
{
    private readonly List<string> _stored = [];
    private readonly List<string> _unstored = [];

    public int Keep { get; } = keep;

    /// <summary>The id of the last stored line read; the next read starts after it.</summary>
    public long LastStoredId { get; private set; }

    public IReadOnlyList<string> Lines { get; private set; } = [];

    public void AddStored(IEnumerable<string> lines, long lastId)
    {
        _stored.AddRange(lines);
        Trim(_stored, Keep);
        LastStoredId = Math.Max(LastStoredId, lastId);
        Compose();
    }

    public void AddLive(IEnumerable<string> lines)
    {
        _unstored.AddRange(lines);
        Compose();
    }

    private void Compose()
    {
        var stored = _stored.ToHashSet(StringComparer.Ordinal);
        _unstored.RemoveAll(stored.Contains);
        Trim(_unstored, Keep);
        var lines = new List<string>(_stored.Count + _unstored.Count);
        lines.AddRange(_stored);
        lines.AddRange(_unstored);
        Trim(lines, Keep);
        Lines = lines;
    }

    public static void Trim(List<string> lines, int keep)
    {
        if (lines.Count > keep)
        {
            lines.RemoveRange(0, lines.Count - keep);
        }
    }
}
