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

public sealed record BenchmarkSettings(string? PostgresConnectionString, string WorkFolder);

public sealed record Measurement(string Operation, string Provider, Timing Timing, double RatioToFloor, string? Note = null);

public sealed record ScenarioReport(string Name, string Title, string Description, IReadOnlyList<Measurement> Floors, IReadOnlyList<Measurement> Measurements, IReadOnlyList<string> Notes);
