using Microsoft.ML;

namespace ControlPlane.ML;

/// <summary>One place that creates ML.NET contexts, always seeded, so that training is reproducible.</summary>
public static class MlContextFactory
{
    public static MLContext Create(int seed) => new(seed);
}
