namespace ControlPlane.Core.DemoData;

// string.GetHashCode is randomized per process; seeds must be identical across runs and machines.
internal static class DemoStableHash
{
    public static ulong Of(params ReadOnlySpan<string> parts)
    {
        var hash = 14695981039346656037UL;
        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            // Separator keeps ("ab", "c") and ("a", "bc") apart.
            hash = (hash ^ 0x1F) * 1099511628211UL;
        }

        return Mix(hash);
    }

    /// <summary>SplitMix64 finalizer; a bijection, which key generation relies on for uniqueness.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
