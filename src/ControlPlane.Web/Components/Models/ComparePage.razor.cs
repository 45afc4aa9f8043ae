using ControlPlane.ML;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Components.Models;

/// <summary>
/// The comparison of two or more versions named in the address (<c>?v=acme/churn-risk/3&amp;v=acme/churn-risk/4</c>), so a
/// comparison can be linked and bookmarked; picking versions changes the address.
/// </summary>
public sealed partial class ComparePage
{
    private List<VersionKey> _keys = [];
    private List<LoadedVersion> _versions = [];
    private List<VersionReport> _reports = [];
    private List<string> _errors = [];
    private string? _useCase;
    private bool _loaded;
    private string? _differentRows;

    [SupplyParameterFromQuery(Name = "v")] public string[]? Keys { get; set; }

    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ControlPlane.Web.Auth.CurrentScope Scope { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _errors = [];
        _keys = [];
        foreach (var text in Keys ?? [])
        {
            var key = VersionKey.Parse(text);
            if (key is not null && !await Scope.AllowsAsync(key.Tenant))
            {
                _errors.Add($"{key} was not found."); // outside the user's tenants: the words for a missing version
            }
            else if (key is not null)
            {
                if (!_keys.Contains(key))
                {
                    _keys.Add(key);
                }
            }
            else
            {
                _errors.Add($"'{text}' is not a version: write tenant/use-case/number, e.g. acme/churn-risk/3.");
            }
        }

        _useCase = _keys.FirstOrDefault()?.UseCase;
        var loader = VersionLoader.Create(Services);
        _versions = [];
        foreach (var key in _keys)
        {
            if (key.UseCase != _useCase)
            {
                _errors.Add($"{key} is a version of '{key.UseCase}'; only versions of one use case ('{_useCase}') can be compared.");
                continue;
            }

            var loaded = await loader.LoadAsync(key);
            if (loaded.IsOk)
            {
                _versions.Add(loaded.Value!);
            }
            else
            {
                _errors.Add(loaded.Message ?? $"{key} was not found.");
            }
        }

        var oneTenant = _versions.Select(v => v.Key.Tenant).Distinct().Count() <= 1;
        _reports = _versions.Select((v, i) => new VersionReport(oneTenant ? v.Key.Short : $"{v.Key.Tenant} · {v.Key.Short}", VersionColors.At(i), v.Details.Report)).ToList();
        _differentRows = DifferentRows(_versions);
        _loaded = true;
    }

    /// <summary>Why the versions' test rows differ (another tenant, other data, another split), or null when they are the same rows.</summary>
    internal static string? DifferentRows(IReadOnlyList<LoadedVersion> versions)
    {
        if (versions.Count < 2) return null;
        if (versions.Select(v => v.Key.Tenant).Distinct().Count() > 1) return "they belong to different tenants";
        if (versions.Any(v => v.Key.Pooled)) return "a pooled version is tested on many tenants' rows";
        if (versions.Select(v => v.Details.DatasetSha256).Distinct().Count() > 1) return "they were trained on different dataset versions";
        var splits = versions.Select(v => v.Details.Report.Split).ToList();
        if (splits.Select(s => (s.ByTime, s.TestFrom, s.TestRows)).Distinct().Count() > 1) return "their test splits differ";
        if (!splits[0].ByTime && versions.Select(v => v.Details.Seed).Distinct().Count() > 1) return "their random splits were drawn with different seeds";
        return null;
    }

    private Task NavigateAsync(IReadOnlyList<VersionKey> keys)
    {
        Navigation.NavigateTo(ModelLinks.Compare(keys));
        return Task.CompletedTask;
    }
}
