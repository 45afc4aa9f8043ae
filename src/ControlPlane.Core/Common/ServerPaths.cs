using System.Text.RegularExpressions;

namespace ControlPlane.Core.Common;

/// <summary>
/// Exception texts from the file system and libraries often carry the server's absolute paths ("Could not find file
/// '/var/lib/controlplane/regions/us/...'"). Before such a text reaches a user (a problem, a page, a run's note) every
/// absolute path in it is cut to its last part: the file's name says what went wrong, the folders say where the server
/// keeps its data.
/// </summary>
public static partial class ServerPaths
{
    public static string Scrub(string? message) =>
        string.IsNullOrEmpty(message) ? message ?? "" : AbsolutePath().Replace(message, m => "…/" + m.Groups["name"].Value);

    // A slash-rooted path of two or more parts (or a drive path), not preceded by a word character or "/" (URLs' "//").
    [GeneratedRegex(@"(?<![\w/.:])(?:[A-Za-z]:\\|/)(?:[^\s'""<>|/\\]+[/\\])+(?<name>[^\s'""<>|/\\]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
