namespace ControlPlane.Core.Storage;

/// <summary>A region store on the local file system (the embedded default).</summary>
public sealed class LocalFolderArtifactStore(string region, string rootFolder) : IArtifactStore
{
    private readonly string _root = Path.GetFullPath(rootFolder);

    public string Region { get; } = region;

    public string RootFolder => _root;

    public async Task<long> WriteAsync(string path, Stream content, CancellationToken ct = default)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
                size = file.Length;
            }

            File.Move(temp, target, overwrite: true);
            return size;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default)
    {
        var target = Resolve(path);
        Stream? stream = File.Exists(target)
            ? new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => Task.FromResult(File.Exists(Resolve(path)));

    public Task<bool> DeleteAsync(string path, CancellationToken ct = default)
    {
        var target = Resolve(path);
        var existed = File.Exists(target);
        File.Delete(target);
        return Task.FromResult(existed);
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default)
    {
        IReadOnlyList<string> files = Directory.Exists(_root)
            ? Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && !f.EndsWith(".tmp", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(files);
    }

    public Task<int> DeleteTreeAsync(string prefix, CancellationToken ct = default)
    {
        var folder = Resolve(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(0);
        }

        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, ArtifactPath.Normalize(path)));
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"Artifact path '{path}' leaves the region store.", nameof(path));
    }
}
