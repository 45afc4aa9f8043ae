using ControlPlane.Core.Datasets;
using ControlPlane.Core.Options;
using ControlPlane.ML;
using ControlPlane.Web.Auth;
using ControlPlane.Web.Components.Shared;
using ControlPlane.Web.Components.Tenants;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Components.Datasets;

/// <summary>
/// Stages the chosen file on the server while its input still exists (the browser's handle dies with it),
/// then hands it to <see cref="DatasetService"/>; its errors (naming the line) are shown at the field.
/// </summary>
public partial class DatasetUpload
{
    private IBrowserFile? _file;
    private long _uploaded;
    private bool _busy;
    private string? _error;
    private string? _outcome;
    private IReadOnlyDictionary<string, FeatureType> _types = new Dictionary<string, FeatureType>();

    [Inject] private DatasetService Datasets { get; set; } = default!;

    [Inject] private IOptions<ControlPlaneOptions> Options { get; set; } = default!;

    [Parameter, EditorRequired] public string Slug { get; set; } = "";

    [Parameter, EditorRequired] public string UseCase { get; set; } = "";

    /// <summary>The selected version's columns, offered for type overrides on the next upload.</summary>
    [Parameter] public IReadOnlyList<DatasetColumn> Columns { get; set; } = [];

    [Parameter] public EventCallback<CreatedDatasetVersion> Created { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    private double Percent => _file is { Size: > 0 } f ? 100.0 * _uploaded / f.Size : 0;

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };

    private async Task OnFileChosenAsync(IBrowserFile? file)
    {
        _error = null;
        _outcome = null;
        if (file is null)
        {
            return;
        }

        var max = Options.Value.Uploads.MaxBytes;
        if (file.Size > max)
        {
            _error = $"File '{file.Name}' is {file.Size:N0} bytes; the limit is {max:N0} bytes.";
            return;
        }

        _file = file;
        _busy = true;
        _uploaded = 0;
        string staged;
        try
        {
            staged = await BrowserFileStaging.StageAsync(file, "cp-dataset", max, read => _uploaded = read, () => InvokeAsync(StateHasChanged));
        }
        catch (IOException ex)
        {
            _error = $"Reading '{file.Name}' failed: {ex.Message}";
            _busy = false;
            return;
        }

        try
        {
            await CreateAsync(file.Name, staged);
        }
        finally
        {
            File.Delete(staged);
            _busy = false;
        }
    }

    private async Task CreateAsync(string fileName, string staged)
    {
        _uploaded = _file!.Size;
        await InvokeAsync(StateHasChanged);
        var actor = await AuthState.ActorAsync();
        await using var stream = File.OpenRead(staged);
        var result = await Datasets.CreateVersionAsync(Slug, UseCase, fileName, stream, actor, DatasetSourceKinds.Upload, _types, CancellationToken.None);
        if (!result.IsOk)
        {
            _error = result.Errors.TryGetValue("File", out var messages) || result.Errors.TryGetValue(ColumnTypeOverrides.Field, out messages)
                ? messages[0] : result.Message;
            return;
        }

        var created = result.Value!;
        if (!created.Reused)
        {
            _types = new Dictionary<string, FeatureType>();
        }

        _outcome = created.Reused ? $"Same file as version {created.Version.Number}." : $"Version {created.Version.Number} created.";
        await Created.InvokeAsync(created);
    }
}
