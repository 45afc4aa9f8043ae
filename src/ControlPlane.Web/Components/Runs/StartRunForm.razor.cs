using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Executor.Runs;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// The start-run form. Parameter lines are checked here; everything else is checked by <see cref="RunService.StartAsync"/>,
/// so the form and the API refuse the same input, and each message is shown at its field.
/// </summary>
public sealed partial class StartRunForm
{
    private static readonly string[] ShownFields = ["Pipeline", "Tenant", "UseCase", "Parameters"];

    private readonly StartRunRequest _request = new();
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private IReadOnlyList<PipelineInfo> _pipelines = [];
    private IReadOnlyList<UseCaseSummary> _useCases = [];
    private string? _parameters;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private string? _summaryError;
    private bool _busy;

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private TenantService Tenants { get; set; } = default!;
    [Inject] private ControlPlane.Web.Auth.CurrentScope Scope { get; set; } = default!;
    [Inject] private UseCaseService UseCases { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    /// <summary>The pipeline chosen at first.</summary>
    [Parameter] public string? Pipeline { get; set; }

    [Parameter] public EventCallback Cancelled { get; set; }

    private PipelineInfo? Described => _pipelines.FirstOrDefault(p => p.Name == _request.Pipeline);

    /// <summary>The pipeline says what it takes: a field per parameter instead of free key=value lines.</summary>
    private static bool Declares(PipelineInfo pipeline) => pipeline.Parameters is not null;

    protected override async Task OnInitializedAsync()
    {
        var isAdmin = AuthState is not null && (await AuthState).User.IsInRole(Roles.Admin);
        _pipelines = Runs.Pipelines().Where(p => isAdmin || !p.AdminOnly).ToList();
        _useCases = await UseCases.ListAsync();
        _request.Pipeline = Pipeline;
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? Err(string field) => _errors.GetValueOrDefault(field);

    private async Task<IEnumerable<string>> SearchTenantsAsync(string? text, CancellationToken ct) =>
        (await Tenants.ListAsync(new TenantQuery { Search = text, PageSize = 20, Scope = await Scope.GetAsync() }, ct)).Items.Select(t => t.Slug);

    private async Task StartAsync()
    {
        _errors.Clear();
        _summaryError = null;
        if (Described is { } declared && Declares(declared))
        {
            _request.Parameters = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        }
        else
        {
            var (parameters, problem) = ParseParameters(_parameters);
            if (problem is not null)
            {
                _errors["Parameters"] = problem;
                return;
            }

            _request.Parameters = parameters;
        }
        if (Described?.ForWholeUseCase == true)
        {
            _request.Tenant = null;
        }

        if (await Scope.GetAsync() is { } scope && !await Scope.AllowsAsync(_request.Tenant))
        {
            // A user limited to tenants starts runs of those tenants only (a whole-use-case run reaches across them).
            _errors["Tenant"] = _request.Tenant is null ? $"You are limited to {scope.Describe()}: choose one of them." : $"Tenant '{_request.Tenant}' was not found.";
            return;
        }

        _busy = true;
        try
        {
            var user = AuthState is null ? null : (await AuthState).User;
            var result = await Runs.StartForCallerAsync(_request, "manual", await AuthState.ActorAsync(), user?.IsInRole(Roles.Admin) == true);
            if (result.IsOk)
            {
                Navigation.NavigateTo($"/runs/{result.Value!.Id}");
                return;
            }

            foreach (var (field, messages) in result.Errors)
            {
                _errors[field] = messages[0];
            }

            // A message for a field this form does not show goes above the buttons instead.
            _summaryError = result.Errors.Count == 0 || result.Errors.Keys.Any(f => !ShownFields.Contains(f) && !f.StartsWith("parameters.", StringComparison.Ordinal))
                ? result.Message : null;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Reads "key=value" lines; blank lines are skipped, a malformed or repeated key is named with its line.</summary>
    internal static (Dictionary<string, string> Parameters, string? Problem) ParseParameters(string? text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = (text ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0)
            {
                return (parameters, $"Line {i + 1} ('{line}') is not key=value.");
            }

            if (!parameters.TryAdd(key, line[(equals + 1)..].Trim()))
            {
                return (parameters, $"Line {i + 1} repeats parameter '{key}'.");
            }
        }

        return (parameters, null);
    }
}
