using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Storage;

/// <summary>
/// A region store in the shared database, so that every node of a PostgreSQL cluster sees the same files.
/// Suited to artifacts of up to some hundred megabytes each; larger estates use a Local store on shared storage.
/// </summary>
public sealed class DatabaseArtifactStore(string region, IDbContextFactory<ControlPlaneDbContext> dbFactory, TimeProvider time)
    : IArtifactStore
{
    public string Region { get; } = region;

    public async Task<long> WriteAsync(string path, Stream content, CancellationToken ct = default)
    {
        path = ArtifactPath.Normalize(path);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.ArtifactBlobs.FindAsync([Region, path], ct);
        if (existing is null)
        {
            db.ArtifactBlobs.Add(new ArtifactBlob { Region = Region, Path = path, Content = bytes, SizeBytes = bytes.Length, WrittenAt = Clock.UtcNow(time) });
        }
        else
        {
            existing.Content = bytes;
            existing.SizeBytes = bytes.Length;
            existing.WrittenAt = Clock.UtcNow(time);
        }

        await db.SaveChangesAsync(ct);
        return bytes.Length;
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default)
    {
        path = ArtifactPath.Normalize(path);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var content = await db.ArtifactBlobs.Where(b => b.Region == Region && b.Path == path).Select(b => b.Content).FirstOrDefaultAsync(ct);
        return content is null ? null : new MemoryStream(content, writable: false);
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken ct = default)
    {
        path = ArtifactPath.Normalize(path);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ArtifactBlobs.AnyAsync(b => b.Region == Region && b.Path == path, ct);
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken ct = default)
    {
        path = ArtifactPath.Normalize(path);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ArtifactBlobs.Where(b => b.Region == Region && b.Path == path).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ArtifactBlobs.Where(b => b.Region == Region && b.Path.StartsWith(prefix))
            .OrderBy(b => b.Path).Select(b => b.Path).ToListAsync(ct);
    }

    public async Task<int> DeleteTreeAsync(string prefix, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ArtifactBlobs.Where(b => b.Region == Region && b.Path.StartsWith(prefix)).ExecuteDeleteAsync(ct);
    }
}
