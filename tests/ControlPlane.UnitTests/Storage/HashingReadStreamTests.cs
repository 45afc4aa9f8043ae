using System.Security.Cryptography;
using ControlPlane.Core.Storage;

namespace ControlPlane.UnitTests.Storage;

public class HashingReadStreamTests
{
    [Fact]
    public async Task Counts_and_hashes_what_passes_through()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        await using var hashing = new HashingReadStream(new MemoryStream(data), maxBytes: 100_000);

        await hashing.CopyToAsync(Stream.Null);

        Assert.Equal(100_000, hashing.BytesRead);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hashing.Sha256Hex());
    }

    [Fact]
    public async Task Stops_as_soon_as_the_limit_is_passed()
    {
        await using var hashing = new HashingReadStream(new MemoryStream(new byte[1_000_000]), maxBytes: 50_000);

        var ex = await Assert.ThrowsAsync<UploadTooLargeException>(() => hashing.CopyToAsync(Stream.Null, 16_384));

        Assert.Equal(50_000, ex.MaxBytes);
        Assert.True(hashing.BytesRead < 50_000 + 16_385);
    }
}
