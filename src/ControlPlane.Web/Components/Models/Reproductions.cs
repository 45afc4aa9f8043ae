using ControlPlane.Core.Registry;

namespace ControlPlane.Web.Components.Models;

/// <summary>Another version trained on the same dataset and rules versions with the same trainer and seed, and whether it predicted identically.</summary>
public sealed record Reproduction(VersionKey Key, bool SameFingerprint);

/// <summary>
/// Finds the enrollment's other versions that should reproduce a version (same dataset version, rules version, trainer,
/// hyperparameters and seed) and compares their prediction fingerprints: the evidence that training is reproducible.
/// </summary>
public static class Reproductions
{
    public static async Task<IReadOnlyList<Reproduction>> FindAsync(ModelRegistry registry, VersionKey key, ModelVersionDetails version, CancellationToken ct = default)
    {
        if (key.Pooled)
        {
            return [];
        }

        var list = await registry.ListAsync(key.Tenant, key.UseCase, ct);
        var candidates = (list.Value?.Versions ?? [])
            .Where(v => v.Kind == ModelVersionKinds.Own && v.Number != key.Number && v.Trainer == version.Summary.Trainer
                        && v.DatasetVersionNumber == version.Summary.DatasetVersionNumber && v.RulesVersionNumber == version.Summary.RulesVersionNumber);
        var found = new List<Reproduction>();
        foreach (var candidate in candidates)
        {
            var other = (await registry.GetAsync(key.Tenant, key.UseCase, candidate.Number, ct)).Value;
            if (other is not null && other.Seed == version.Seed && SameSettings(other.Hyperparameters, version.Hyperparameters))
            {
                found.Add(new Reproduction(key with { Number = candidate.Number }, other.PredictionFingerprint == version.PredictionFingerprint));
            }
        }

        return found;
    }

    private static bool SameSettings(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
