namespace ControlPlane.Benchmarks;

/// <summary>Replaces one scenario's section of docs/benchmarks.md, leaving the others as they are.</summary>
public static class BenchmarkDoc
{
    public static void WriteSection(string scenario, string content)
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : Header;
        var start = $"<!-- bench:{scenario}:start -->";
        var end = $"<!-- bench:{scenario}:end -->";
        var block = $"{start}\n{content.TrimEnd()}\n{end}";
        var i = text.IndexOf(start, StringComparison.Ordinal);
        var j = text.IndexOf(end, StringComparison.Ordinal);
        text = i >= 0 && j > i
            ? text[..i] + block + text[(j + end.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
        Console.WriteLine($"Wrote {scenario} to {path}");
    }

    private const string Header = """
        # Benchmarks

        Measured by `tests/ControlPlane.Benchmarks` (`dotnet run -c Release --project tests/ControlPlane.Benchmarks`).
        Every figure is read against a floor measured in the same run on the same machine, so the ratios hold
        from machine to machine while the milliseconds do not. Each scenario's section is rewritten when it runs.
        """;

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }
}
