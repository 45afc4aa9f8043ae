using System.Globalization;
using System.Text;

namespace ControlPlane.Benchmarks;

public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(IReadOnlyList<IScenario> scenarios, string[] args)
    {
        var names = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var write = !args.Contains("--no-write");
        var unknown = names.Except(scenarios.Select(s => s.Name)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", scenarios.Select(s => s.Name))}");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("cp-bench-").FullName;
        try
        {
            var settings = new BenchmarkSettings(null, work, args);
            settings = settings with { PostgresConnectionString = settings.Option("--postgres") ?? Environment.GetEnvironmentVariable("CONTROLPLANE_BENCH_PG") };
            foreach (var scenario in scenarios.Where(s => names.Count == 0 || names.Contains(s.Name)))
            {
                Console.WriteLine($"== {scenario.Name}: {scenario.Title}");
                var report = await scenario.RunAsync(settings, CancellationToken.None);
                var section = Render(report);
                Console.WriteLine(section);
                if (write)
                {
                    BenchmarkDoc.WriteSection(report.Name, section);
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Render(ScenarioReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"## {r.Title}").AppendLine();
        sb.AppendLine(r.Description).AppendLine();
        sb.AppendLine(c, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release build.").AppendLine();
        sb.AppendLine("| operation | provider | median ms | p95 ms | × floor |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var m in r.Floors.Concat(r.Measurements))
        {
            sb.AppendLine(c, $"| {m.Operation}{(m.Note is null ? "" : $" ({m.Note})")} | {m.Provider} | {m.Timing.MedianMs:0.00} | {m.Timing.P95Ms:0.00} | {m.RatioToFloor:0.0} |");
        }

        foreach (var note in r.Notes)
        {
            sb.AppendLine().AppendLine(note);
        }

        return sb.ToString();
    }
}
