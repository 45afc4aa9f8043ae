using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Rules;

namespace ControlPlane.Web.Components.Models;

/// <summary>A version with what the pages show beside it: the dataset version it was trained on and its effective rules.</summary>
public sealed record LoadedVersion(VersionKey Key, ModelVersionDetails Details, DatasetVersionSummary? Dataset, RuleSet? Rules);

/// <summary>Loads versions by <see cref="VersionKey"/> for the version page and the comparison.</summary>
public sealed class VersionLoader(ModelRegistry registry, TenantService tenants, DatasetService datasets, FeatureRuleService rules)
{
    public static VersionLoader Create(IServiceProvider services) => ActivatorUtilities.CreateInstance<VersionLoader>(services);

    public async Task<Result<LoadedVersion>> LoadAsync(VersionKey key, CancellationToken ct = default)
    {
        var details = key.Pooled ? await LoadPooledAsync(key, ct) : await registry.GetAsync(key.Tenant, key.UseCase, key.Number, ct);
        if (!details.IsOk)
        {
            return Result<LoadedVersion>.NotFound(details.Message ?? $"{key} was not found.");
        }

        var d = details.Value!;
        DatasetVersionSummary? dataset = null;
        RuleSet? ruleSet = null;
        if (d.Summary.DatasetVersionNumber is { } data)
        {
            dataset = (await datasets.GetAsync(key.Tenant, key.UseCase, data, ct)).Value?.Version;
        }

        if (d.Summary.RulesVersionNumber is { } number)
        {
            ruleSet = (await rules.GetAsync(key.Tenant, key.UseCase, number, ct)).Value?.Effective;
        }

        return Result<LoadedVersion>.Ok(new LoadedVersion(key, d, dataset, ruleSet));
    }

    private async Task<Result<ModelVersionDetails>> LoadPooledAsync(VersionKey key, CancellationToken ct)
    {
        var tenant = await tenants.GetAsync(key.Tenant, ct);
        return tenant is null
            ? Result<ModelVersionDetails>.NotFound($"There is no tenant '{key.Tenant}'.")
            : await registry.GetPooledAsync(key.UseCase, tenant.Region, key.Number, ct);
    }
}
