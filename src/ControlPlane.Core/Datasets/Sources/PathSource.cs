using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace ControlPlane.Core.Datasets.Sources;

/// <summary>
/// File paths and globs confined to the operator's allowed roots. Confinement is judged on real paths — every symbolic
/// link along the way resolved, files and directories alike — so a link inside a root that leads outside it is neither
/// walked into nor read (decision 0038). The check is made again on the opened file itself (<see cref="OpenConfined"/>),
/// so a link swapped in between listing and opening is caught too.
/// </summary>
internal static class PathSource
{
    private const int MaxLinks = 40; // as the kernel's ELOOP limit

    /// <summary>Null when <paramref name="pattern"/> can be used as a path; otherwise what is wrong with it.</summary>
    public static string? CheckPattern(string? pattern) =>
        string.IsNullOrWhiteSpace(pattern) || !Path.IsPathFullyQualified(pattern)
            ? "Enter an absolute file path or glob (for example /data/exports/*.csv)."
        : pattern.Length > 1000 ? "The path is longer than 1,000 characters."
        : pattern.IndexOfAny(['\0', '\r', '\n']) >= 0 ? "The path contains a NUL character or a line break."
        : null;

    /// <summary>The allowed root (its real path) that holds <paramref name="pattern"/>, or null when none does.</summary>
    public static string? RootOf(string pattern, IEnumerable<string> roots)
    {
        var full = Path.GetFullPath(pattern);
        foreach (var root in roots)
        {
            var lexical = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
            if (full.StartsWith(lexical + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return lexical;
            }
        }

        return null;
    }

    /// <summary>Files matching the pattern, newest first, leaving out everything whose real path is outside the root.</summary>
    public static IReadOnlyList<FileInfo> Matches(string pattern, string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var realRoot = RealPath(root);
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(Path.GetRelativePath(root, Path.GetFullPath(pattern)));
        return matcher.Execute(new ConfinedDirectory(new DirectoryInfo(root), realRoot)).Files
            .Select(f => new FileInfo(Path.Combine(root, f.Path)))
            .Where(f => f.Exists && IsInside(RealPath(f.FullName), realRoot))
            .OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.FullName, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Opens <paramref name="file"/> for reading and confirms that what was opened lies under <paramref name="root"/>
    /// (on Linux from the open descriptor itself); null when it does not.
    /// </summary>
    public static FileStream? OpenConfined(FileInfo file, string root)
    {
        var realRoot = RealPath(root);
        var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        try
        {
            var opened = OperatingSystem.IsLinux()
                ? new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget ?? RealPath(file.FullName)
                : RealPath(file.FullName);
            if (IsInside(opened, realRoot))
            {
                return stream;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        stream.Dispose();
        return null;
    }

    public static bool IsInside(string realPath, string realRoot) =>
        realPath.StartsWith(Path.TrimEndingDirectorySeparator(realRoot) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link in it resolved (what realpath(3) gives); missing parts are kept as written.</summary>
    public static string RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException("Too many levels of symbolic links.");
                }

                // A relative target is relative to the link's folder, which is already real.
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }

            current = next;
        }

        return current;
    }

    /// <summary>A directory for the glob matcher that does not descend into links leading outside the root or above themselves.</summary>
    private sealed class ConfinedDirectory(DirectoryInfo directory, string realRoot) : DirectoryInfoBase
    {
        public override string Name => directory.Name;

        public override string FullName => directory.FullName;

        public override DirectoryInfoBase? ParentDirectory => directory.Parent is { } parent ? new ConfinedDirectory(parent, realRoot) : null;

        public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
        {
            if (!directory.Exists)
            {
                yield break;
            }

            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo child)
                {
                    if (child.LinkTarget is null || Followable(child))
                    {
                        yield return new ConfinedDirectory(child, realRoot);
                    }
                }
                else if (entry is FileInfo file)
                {
                    yield return new FileInfoWrapper(file);
                }
            }
        }

        public override DirectoryInfoBase? GetDirectory(string path) =>
            path == ".." ? ParentDirectory : new ConfinedDirectory(new DirectoryInfo(Path.Combine(FullName, path)), realRoot);

        public override FileInfoBase? GetFile(string path) => new FileInfoWrapper(new FileInfo(Path.Combine(FullName, path)));

        /// <summary>A linked directory is walked only when its real path is inside the root and not an ancestor of the link (a loop).</summary>
        private bool Followable(DirectoryInfo link)
        {
            try
            {
                var real = RealPath(link.FullName);
                var here = RealPath(directory.FullName);
                return IsInside(real, realRoot) && !IsInside(here + Path.DirectorySeparatorChar + "x", real) && here != real;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
