namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// A uniform sample of at most <c>capacity</c> items that does not depend on the order they arrive in: the items whose
/// keys hash lowest (bottom-k sampling). A drift check streams a day's rows through it, so a day of millions of rows is
/// held as <c>capacity</c> items, and checking the same rows again compares the same sample.
/// </summary>
public sealed class BottomKSample<T>(int capacity)
{
    // A min-heap on the inverted hash: its head is the kept item whose hash is highest, the first to give way.
    private readonly PriorityQueue<T, ulong> _heap = new(Math.Min(capacity, 1024));

    /// <summary>How many items were offered, kept or not.</summary>
    public int Seen { get; private set; }

    public int Count => _heap.Count;

    /// <param name="key">Identifies the item (a row id); equal keys always make the same choice.</param>
    public void Add(T item, ulong key)
    {
        Seen++;
        var priority = ~BottomKSample.Mix(key);
        if (_heap.Count < capacity)
        {
            _heap.Enqueue(item, priority);
        }
        else
        {
            // Enqueues, then drops the highest hash of all: the new item itself when its hash is higher than every kept one.
            _heap.EnqueueDequeue(item, priority);
        }
    }

    /// <summary>The kept items in hash order (the same order whatever order they were added in).</summary>
    public List<T> Items() => _heap.UnorderedItems.OrderByDescending(x => x.Priority).Select(x => x.Element).ToList();
}

/// <summary>Keys for <see cref="BottomKSample{T}"/>: fixed 64-bit hashes of row identities.</summary>
public static class BottomKSample
{
    /// <summary>A key from a GUID and a number within it (a partition and its row, a dataset and its row).</summary>
    public static ulong Key(Guid scope, long number)
    {
        Span<byte> bytes = stackalloc byte[16];
        scope.TryWriteBytes(bytes);
        return BitConverter.ToUInt64(bytes[..8]) ^ Mix(BitConverter.ToUInt64(bytes[8..]) + (ulong)number);
    }

    /// <summary>The SplitMix64 finalizer: a fixed, well-spread 64-bit hash (string and HashCode hashes change per process).</summary>
    internal static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
