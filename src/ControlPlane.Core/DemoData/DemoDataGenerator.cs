namespace ControlPlane.Core.DemoData;

/// <summary>Generates realistic, deterministic raw uploads for the built-in use cases.</summary>
public static class DemoDataGenerator
{
    private static readonly Dictionary<string, IDemoUseCaseGenerator> Generators =
        new IDemoUseCaseGenerator[]
        {
            new DemoLeadScoringGenerator(),
            new DemoChurnRiskGenerator(),
            new DemoTicketRoutingGenerator(),
            new DemoResolutionTimeGenerator(),
        }.ToDictionary(g => g.Key, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> UseCaseKeys => DemoUseCaseKeys.All;

    /// <exception cref="ArgumentException">Unknown use case or invalid options.</exception>
    public static DemoDataset Generate(string useCaseKey, DemoGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(useCaseKey);
        ArgumentNullException.ThrowIfNull(options);
        if (!Generators.TryGetValue(useCaseKey, out var generator))
        {
            throw new ArgumentException(
                $"Unknown demo use case '{useCaseKey}'. Known use cases: {string.Join(", ", UseCaseKeys)}.",
                nameof(useCaseKey));
        }

        return generator.Generate(new DemoGenerationContext(generator.Key, options.Normalize()));
    }
}
