using System.Security.Cryptography;

namespace ControlPlane.Core.Storage;

/// <summary>
/// Wraps a source stream while it is copied: SHA-256-hashes the bytes and stops with
/// <see cref="UploadTooLargeException"/> as soon as the size limit is passed, so an oversized upload is never buffered whole.
/// </summary>
public sealed class HashingReadStream(Stream inner, long maxBytes) : ObservedReadStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    protected override void OnRead(ReadOnlySpan<byte> chunk)
    {
        if (BytesRead > maxBytes)
        {
            throw new UploadTooLargeException(maxBytes);
        }

        _hash.AppendData(chunk);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}

public sealed class UploadTooLargeException(long maxBytes)
    : Exception($"The upload is larger than the limit of {maxBytes:N0} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
