namespace ControlPlane.Core.Storage;

/// <summary>
/// The storage of one region. Paths are relative, '/'-separated (e.g. "tenants/acme/uploads/x.csv");
/// a tenant's files are written only to the store of its home region.
/// </summary>
public interface IArtifactStore
{
    string Region { get; }

    /// <summary>Writes the whole stream atomically: readers see the old file or the new one, never a part.</summary>
    Task<long> WriteAsync(string path, Stream content, CancellationToken ct = default);

    Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default);

    Task<bool> ExistsAsync(string path, CancellationToken ct = default);

    Task<bool> DeleteAsync(string path, CancellationToken ct = default);

    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default);

    /// <summary>Deletes every file under the prefix; returns how many were removed.</summary>
    Task<int> DeleteTreeAsync(string prefix, CancellationToken ct = default);
}
