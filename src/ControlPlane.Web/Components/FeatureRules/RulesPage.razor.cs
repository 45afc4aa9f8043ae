using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Security;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;

namespace ControlPlane.Web.Components.FeatureRules;

/// <summary>
/// The rules editor of one enrollment. The draft (the tenant's overrides) is one immutable <see cref="RuleSet"/> shared by
/// the form and the JSON view; every edit re-runs the preview after a short pause, and its errors (keyed by rule path)
/// show at the fields. Only <see cref="FeatureRuleService.SaveAsync"/> stores anything, and only valid rules.
/// </summary>
public partial class RulesPage : IDisposable
{
    /// <summary>Stands for the unsaved draft in a diff.</summary>
    public const int DraftNumber = -1;

    /// <summary>How long the preview waits after an edit, so typing does not start a fit per key.</summary>
    private static readonly TimeSpan PreviewDelay = TimeSpan.FromMilliseconds(400);

    private const int PreviewRows = 10;

    private RuleSetView? _view;
    private string? _notFound;
    private RuleSet _draft = new();
    private EditorView _editor = EditorView.Form;
    private string _json = "";
    private RuleErrorIndex _errors = RuleErrorIndex.None;
    private IReadOnlyList<RawColumn> _columns = [];
    private IReadOnlyList<RuleVersionSummary> _versions = [];
    private bool _canEdit;
    private string? _comment;
    private bool _saving;
    private readonly HashSet<string> _openFeatures = new(StringComparer.Ordinal);

    private CancellationTokenSource? _previewCts;
    private bool _previewBusy;
    private RulePreviewResult? _preview;
    private RulePreviewResult? _previousPreview;
    private RuleErrorIndex _previewErrors = RuleErrorIndex.None;
    private string? _previewFailure;

    private bool _mappingOpen;
    private IReadOnlyList<MappingSuggestion> _suggestions = [];
    private string? _mappingError;

    [Inject] private FeatureRuleService Rules { get; set; } = default!;

    [Inject] private DatasetService Datasets { get; set; } = default!;

    [Inject] private DatasetValidationService Validation { get; set; } = default!;

    [Inject] private IAuthorizationService Authorization { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [Parameter] public string Slug { get; set; } = "";

    [Parameter] public string UseCase { get; set; } = "";

    private bool Dirty => _view is not null && RuleJson.Write(_draft) != RuleJson.Write(_view.Overrides);

    protected override async Task OnParametersSetAsync()
    {
        var result = await Rules.GetAsync(Slug, UseCase);
        if (!result.IsOk)
        {
            _notFound = result.Message;
            return;
        }

        _view = result.Value!;
        _draft = _view.Overrides;
        _json = RuleJson.Write(_draft);
        _canEdit = AuthState is not null && (await Authorization.AuthorizeAsync((await AuthState).User, Policies.Analyze)).Succeeded;
        _columns = await LatestColumnsAsync();
        await LoadVersionsAsync();
        SchedulePreview(TimeSpan.Zero);
    }

    private async Task<IReadOnlyList<RawColumn>> LatestColumnsAsync()
    {
        var versions = await Datasets.ListAsync(Slug, UseCase);
        if (versions.Value is not { Count: > 0 } list)
        {
            return [];
        }

        var latest = await Datasets.GetAsync(Slug, UseCase, list.Max(v => v.Number));
        return latest.Value?.Schema.Select(c => new RawColumn(c.Name, c.Type)).ToArray() ?? [];
    }

    private async Task LoadVersionsAsync() => _versions = (await Rules.ListVersionsAsync(Slug, UseCase)).Value ?? [];

    private void OnDraftChanged(RuleSet draft)
    {
        _draft = draft;
        SchedulePreview(PreviewDelay);
    }

    private void OnJsonChanged(string json)
    {
        _json = json;
        if (RuleJson.TryParse(json, out var rules, out var error))
        {
            OnDraftChanged(rules);
            return;
        }

        _previewCts?.Cancel();
        _errors = RuleErrorIndex.From(error);
    }

    /// <summary>
    /// Switches views. Entering JSON writes the draft out; leaving it parses the text back, and a syntax error keeps the
    /// JSON view open with the error shown, so no edit is lost on the way.
    /// </summary>
    private void Show(EditorView view)
    {
        if (view == _editor)
        {
            return;
        }

        if (_editor == EditorView.Json)
        {
            if (!RuleJson.TryParse(_json, out var rules, out var error))
            {
                _errors = RuleErrorIndex.From(error);
                Snackbar.Add($"Fix the JSON first: {error.Message}", Severity.Warning);
                return;
            }

            _draft = rules;
        }

        if (view == EditorView.Json)
        {
            _json = RuleJson.Write(_draft);
        }

        _editor = view;
    }

    /// <summary>Leaving the page with unsaved edits asks first; the browser asks itself for a reload or another site.</summary>
    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (Dirty && !await JS.InvokeAsync<bool>("confirm", "The rules have unsaved changes. Leave without saving?"))
        {
            context.PreventNavigation();
        }
    }

    private Color ViewColor(EditorView view) => view == _editor ? Color.Primary : Color.Default;

    private void Discard()
    {
        _draft = _view!.Overrides;
        _json = RuleJson.Write(_draft);
        _errors = RuleErrorIndex.None;
        SchedulePreview(TimeSpan.Zero);
    }

    private async Task SuggestAsync()
    {
        _mappingOpen = true;
        var result = await Rules.SuggestMappingAsync(Slug, UseCase);
        _suggestions = result.Value ?? [];
        _mappingError = result.IsOk ? null : result.Message;
    }

    private void ApplyMapping(IReadOnlyList<(string Target, string Column)> mapping)
    {
        var draft = _draft;
        foreach (var (target, column) in mapping)
        {
            draft = draft.Mapping(target, column);
        }

        _json = RuleJson.Write(draft);
        OnDraftChanged(draft);
        Snackbar.Add($"Applied {mapping.Count} mapping(s); review and save.", Severity.Info);
    }
}

/// <summary>The three views of the draft: the form, its raw JSON, and the effective rules it gives (read-only).</summary>
public enum EditorView
{
    Form,
    Json,
    Effective,
}
