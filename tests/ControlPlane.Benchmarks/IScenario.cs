namespace ControlPlane.Benchmarks;

/// <summary>A benchmark scenario: it measures a floor and the operations that matter, in the same run.</summary>
public interface IScenario
{
    string Name { get; }
    string Title { get; }

    /// <summary>What the scenario measures and why the floor is the right yardstick.</summary>
    string Description { get; }

    Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct);
}

/// <summary>What every scenario gets: the optional PostgreSQL server, a scratch folder and the command line (for scenario options).</summary>
public sealed record BenchmarkSettings(string? PostgresConnectionString, string WorkFolder, IReadOnlyList<string> Arguments)
{
    /// <summary>The value after <paramref name="name"/> on the command line (e.g. <c>--tenants 20</c>), or null.</summary>
    public string? Option(string name)
    {
        var i = Arguments.ToList().IndexOf(name);
        return i >= 0 && i + 1 < Arguments.Count ? Arguments[i + 1] : null;
    }
}

public sealed record Measurement(string Operation, string Provider, Timing Timing, double RatioToFloor, string? Note = null);

public sealed record ScenarioReport(string Name, string Title, string Description, IReadOnlyList<Measurement> Floors, IReadOnlyList<Measurement> Measurements, IReadOnlyList<string> Notes);
