using ControlPlane.Core.Common;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Web.Auth;
using ControlPlane.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;

namespace ControlPlane.Web.Components.Tenants;

/// <summary>
/// The onboarding wizard: tenant → use cases → first data file → review. Each step is checked before the next one opens,
/// with the message at the field; the final check is the service's own, so the UI and the API reject the same input.
/// </summary>
public partial class OnboardWizard
{
    internal static readonly string[] StepTitles = ["Tenant", "Use cases", "First data", "Review"];

    private readonly OnboardModel _model = new();
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private IReadOnlyList<UseCaseSummary> _useCases = [];
    private int _step;
    private bool _busy;
    private long _uploaded;
    private string? _summaryError;
    private TenantCreated? _created;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthState { get; set; }

    private double UploadPercent => _model.File is { Size: > 0 } f ? 100.0 * _uploaded / f.Size : 0;

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
        if (selected)
        {
            _model.UseCases.Add(key);
        }
        else
        {
            _model.UseCases.Remove(key);
            if (_model.FileUseCase == key)
            {
                _model.FileUseCase = null;
            }
        }
    }

    private async Task OnFileChosen(IBrowserFile? file)
    {
        ClearFile();
        _errors.Remove("File");
        _model.File = file;
        if (_model.FileUseCase is null && _model.UseCases.Count == 1)
        {
            _model.FileUseCase = _model.UseCases.First();
        }

        if (file is null)
        {
            return;
        }

        if (FileProblem(file) is { } problem)
        {
            _errors["File"] = problem;
            return;
        }

        // Copy the file to the server while its input still exists; the browser's handle dies with the step.
        _busy = true;
        _uploaded = 0;
        try
        {
            _model.StagedPath = await BrowserFileStaging.StageAsync(
                file, "cp-onboard", Options.Value.Uploads.MaxBytes, read => _uploaded = read, () => InvokeAsync(StateHasChanged));
        }
        catch (IOException ex)
        {
            _errors["File"] = $"Reading '{file.Name}' failed: {ex.Message}";
        }
        finally
        {
            _busy = false;
        }
    }

    private void ClearFile()
    {
        if (_model.StagedPath is { } path)
        {
            File.Delete(path);
        }

        _model.StagedPath = null;
        _model.File = null;
    }

    public void Dispose() => ClearFile();

    private void Back()
    {
        _errors.Clear();
        _step = Math.Max(0, _step - 1);
    }

    private async Task NextAsync()
    {
        _errors.Clear();
        if (_step == 0)
        {
            await ValidateTenantStepAsync();
        }
        else if (_step == 2)
        {
            ValidateFileStep();
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

    private void ValidateFileStep()
    {
        if (_model.File is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(_model.FileUseCase))
        {
            _errors["FileUseCase"] = "Choose the use case this data file is for.";
            return;
        }

        var problem = TenantValidation.UploadProblem(
            new InitialUpload(_model.FileUseCase, _model.File.Name, Stream.Null), _model.UseCases, Options.Value.Uploads.MaxBytes)
            ?? FileProblem(_model.File);
        if (problem is not null)
        {
            _errors["File"] = problem;
        }
        else if (_model.StagedPath is null)
        {
            _errors["File"] = $"File '{_model.File.Name}' has not finished uploading; choose it again.";
        }
    }

    private string? FileProblem(IBrowserFile file)
    {
        var max = Options.Value.Uploads.MaxBytes;
        if (!TenantValidation.AllowedUploadExtensions.Contains(Path.GetExtension(file.Name).ToLowerInvariant()))
        {
            return $"File '{file.Name}' must be a .csv or .parquet file.";
        }

        return file.Size > max ? $"File '{file.Name}' is {file.Size:N0} bytes; the limit is {max:N0} bytes."
            : file.Size == 0 ? $"File '{file.Name}' is empty."
            : null;
    }

    private async Task CreateAsync()
    {
        _busy = true;
        _summaryError = null;
        _errors.Clear();
        var actor = await AuthState.ActorAsync();
        try
        {
            Result<TenantCreated> result;
            if (_model.File is { } file && _model.StagedPath is { } staged && _model.FileUseCase is { } useCase)
            {
                await using var stream = File.OpenRead(staged);
                result = await Tenants.CreateAsync(Request(), actor, new InitialUpload(useCase, file.Name, stream));
            }
            else
            {
                result = await Tenants.CreateAsync(Request(), actor);
            }

            if (result.IsOk)
            {
                ClearFile();
                _created = result.Value;
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
            "File" or "FileUseCase" => 2,
            _ => 3,
        });
        _summaryError = _step == 3 ? result.Message : null;
    }

    private CreateTenantRequest Request() => new()
    {
        Name = _model.Name, Slug = _model.Slug, Region = _model.Region, UseCases = _model.UseCases.Order().ToList(),
    };

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };
}
