using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Executor.Runs;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPlane.Web.Components.Tenants;

/// <summary>
/// The onboarding wizard, from nothing to a first model (issue 18): tenant → use cases → create (the API key, once) →
/// first data (the use case's expected columns and template; the file becomes dataset version 1 at once) → map columns
/// (confident matches set, the rest the analyst's) → check (the validation report by those rules) → first retrain, with
/// a link to its live run. Each step is checked before the next one opens, with the message at the field; the checks are
/// the services' own, so the UI and the API reject the same input.
/// </summary>
public partial class OnboardWizard
{
    internal static readonly string[] StepTitles = ["Tenant", "Use cases", "Create", "First data", "Map columns", "Check", "First model"];

    private readonly OnboardModel _model = new();
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private IReadOnlyList<UseCaseSummary> _useCases = [];
    private int _step;
    private bool _busy;
    private string? _summaryError;
    private TenantCreated? _created;
    private List<UseCaseSummary> _enrolled = [];
    private string? _dataUseCase;
    private CreatedDatasetVersion? _uploaded;
    private int? _datasetVersion;
    private int _rulesVersion;
    private ValidationReport? _report;
    private RunSummary? _run;
    private WizardMapping? _mapping;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthState { get; set; }

    private UseCaseSummary? DataUseCase => _enrolled.FirstOrDefault(u => u.Key == _dataUseCase);

    private string RulesUrl => Models.ModelLinks.Rules(_created?.Tenant.Slug ?? "", _dataUseCase ?? "");

    private string DataUrl => Models.ModelLinks.Data(_created?.Tenant.Slug ?? "", _dataUseCase ?? "");

    private string TimeRangeText => _uploaded?.Version is { TimeFrom: { } from, TimeTo: { } to } ? $", {from:yyyy-MM-dd} to {to:yyyy-MM-dd}" : "";

    /// <summary>Before the tenant exists any step may be revisited; after, only the steps about its data.</summary>
    private bool CanGoBack => !_busy && _step > 0 && (_created is null || _step > 3) && _run is null;

    private bool CanGoOn => _step switch
    {
        2 => _created is not null && _enrolled.Count > 0,
        3 => _datasetVersion is not null,
        5 => _report is { IsBlocked: false },
        _ => true,
    };

    protected override async Task OnInitializedAsync()
    {
        _useCases = await UseCaseCatalog.ListAsync();
        _model.Region = Regions.Regions.FirstOrDefault()?.Name;
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? Err(string field) => _errors.GetValueOrDefault(field);

    private void OnNameChanged(string? value)
    {
        _model.Name = value;
        if (!_model.SlugEdited)
        {
            _model.Slug = Slug.Suggest(value);
        }
    }

    private void OnSlugChanged(string? value)
    {
        _model.Slug = value;
        _model.SlugEdited = !string.IsNullOrEmpty(value);
    }

    private void ToggleUseCase(string key, bool selected)
    {
        if (selected) _model.UseCases.Add(key);
        else _model.UseCases.Remove(key);
    }

    private void OnDataUseCaseChanged(string? key) => _dataUseCase = key;

    private void OnUploadedAsync(CreatedDatasetVersion created)
    {
        _uploaded = created;
        _datasetVersion = created.Version.Number;
    }

    private void Back()
    {
        _errors.Clear();
        _summaryError = null;
        _step = Math.Max(0, _step - 1);
    }

    private async Task NextAsync()
    {
        _errors.Clear();
        _summaryError = null;
        if (_step == 0)
        {
            await ValidateTenantStepAsync();
        }
        else if (_step == 4)
        {
            _busy = true;
            try
            {
                _report = _mapping is null ? null : await _mapping.SaveAsync();
                if (_report is null) return;
                _rulesVersion = _report.RulesVersion;
            }
            finally
            {
                _busy = false;
            }
        }

        if (_errors.Count == 0)
        {
            _step++;
        }
    }

    private async Task ValidateTenantStepAsync()
    {
        var errors = TenantValidation.Validate(Request(), Regions).ToDictionary();
        foreach (var field in new[] { "Name", "Slug", "Region" })
        {
            if (errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages[0];
            }
        }

        if (!_errors.ContainsKey("Slug") && await Tenants.GetAsync(_model.Slug!) is not null)
        {
            _errors["Slug"] = $"A tenant with slug '{_model.Slug}' already exists.";
        }
    }

    private async Task CreateAsync()
    {
        _busy = true;
        _summaryError = null;
        _errors.Clear();
        var actor = await AuthState.ActorAsync();
        try
        {
            var result = await Tenants.CreateAsync(Request(), actor);
            if (result.IsOk)
            {
                _created = result.Value;
                _enrolled = _useCases.Where(u => _model.UseCases.Contains(u.Key)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
                _dataUseCase = _enrolled.FirstOrDefault()?.Key;
                Snackbar.Add($"Tenant {result.Value!.Tenant.Name} onboarded.", MudBlazor.Severity.Success);
                return;
            }

            ShowServerErrors(result);
        }
        finally
        {
            _busy = false;
        }
    }

    private void ShowServerErrors(Result<TenantCreated> result)
    {
        foreach (var (field, messages) in result.Errors)
        {
            _errors[field] = messages[0];
        }

        // Send the user back to the first step that holds an error, where the message sits at its field.
        _step = _errors.Keys.Min(f => f switch
        {
            "Name" or "Slug" or "Region" => 0,
            "UseCases" => 1,
            _ => 2,
        });
        _summaryError = _step == 2 ? result.Message : null;
    }

    private async Task StartRetrainAsync()
    {
        _busy = true;
        _summaryError = null;
        try
        {
            var started = await Retrains.StartAsync(_created!.Tenant.Slug, _dataUseCase!, "onboarding", await AuthState.ActorAsync());
            if (started.IsOk) _run = started.Value;
            else _summaryError = started.Message ?? string.Join(" ", started.Errors.SelectMany(e => e.Value));
        }
        finally
        {
            _busy = false;
        }
    }

    private CreateTenantRequest Request() => new()
    {
        Name = _model.Name, Slug = _model.Slug, Region = _model.Region, UseCases = _model.UseCases.Order().ToList(),
    };
}
