namespace ControlPlane.Core.Storage;

/// <summary>What a size-limited, hashed write stored.</summary>
public sealed record HashedWrite(long Size, string Sha256);

public static class ArtifactStoreExtensions
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store while hashing it; null when it passed
    /// <paramref name="maxBytes"/> (the store keeps nothing of it then).
    /// </summary>
    public static async Task<HashedWrite?> WriteHashedAsync(this IArtifactStore store, string path, Stream content, long maxBytes, CancellationToken ct)
    {
        await using var hashing = new HashingReadStream(content, maxBytes);
        try
        {
            var size = await store.WriteAsync(path, hashing, ct);
            return new HashedWrite(size, hashing.Sha256Hex());
        }
        catch (UploadTooLargeException)
        {
            return null;
        }
    }
}
