using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace ControlPlane.Core.Datasets.Sources;

/// <summary>File paths and globs confined to the operator's allowed roots.</summary>
internal static class PathSource
{
    /// <summary>The allowed root that holds <paramref name="pattern"/>, or null when none does.</summary>
    public static string? RootOf(string pattern, IEnumerable<string> roots)
    {
        var full = Path.GetFullPath(pattern);
        return roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
            .FirstOrDefault(r => full.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>Files matching the pattern, newest first, leaving out links that lead outside the root.</summary>
    public static IReadOnlyList<FileInfo> Matches(string pattern, string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(Path.GetRelativePath(root, Path.GetFullPath(pattern)));
        return matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files
            .Select(f => new FileInfo(Path.Combine(root, f.Path)))
            .Where(f => f.Exists && Inside(f, root))
            .OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.FullName, StringComparer.Ordinal)
            .ToArray();
    }

    private static bool Inside(FileInfo file, string root) =>
        file.ResolveLinkTarget(returnFinalTarget: true) is not { } target
        || target.FullName.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
