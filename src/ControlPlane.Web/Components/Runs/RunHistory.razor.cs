using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPlane.Web.Components.Runs;

/// <summary>The run history grid; run and task state changes reload the current page, at most four times a second.</summary>
public sealed partial class RunHistory : IDisposable
{
    private MudDataGrid<RunSummary>? _grid;
    private RunFilter _filter = new();
    private IDisposable? _subscription;
    private ReloadThrottle? _reload;

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private ControlPlane.Web.Auth.CurrentScope UserScope { get; set; } = default!;
    [Inject] private RunEvents Events { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<RunHistory> Logger { get; set; } = default!;

    protected override void OnInitialized()
    {
        _reload = new ReloadThrottle(TimeSpan.FromMilliseconds(250), () => InvokeAsync(ReloadAsync),
            ex => Logger.LogWarning(ex, "Reloading the run history failed"));
        _subscription = Events.Subscribe(e =>
        {
            // Progress and log lines do not change what the history shows; a task finishing does (n of N tasks).
            if (e.Kind is RunEvent.RunChanged or RunEvent.TaskChanged)
            {
                _reload.Request();
            }
        });
    }

    protected override void OnParametersSet() => _filter = RunFilter.FromQuery(QueryOf(Navigation.Uri));

    private async Task<GridData<RunSummary>> LoadAsync(GridState<RunSummary> state, CancellationToken ct)
    {
        if (state.SortDefinitions.FirstOrDefault() is { } sort)
        {
            var by = sort.SortBy switch
            {
                nameof(RunSummary.Pipeline) => RunSort.Pipeline,
                nameof(RunSummary.State) => RunSort.State,
                nameof(RunSummary.Tenant) => RunSort.Tenant,
                _ => RunSort.Created,
            };
            if (by != _filter.Sort || sort.Descending != _filter.Descending)
            {
                _filter = _filter with { Sort = by, Descending = sort.Descending };
                KeepInAddress();
            }
        }

        var page = await Runs.QueryAsync(_filter.ToQuery(state.Page, state.PageSize) with { OnlyTenants = await UserScope.SlugsAsync(ct) }, ct);
        return new GridData<RunSummary> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private Task OnFiltersChanged(RunFilter filter)
    {
        _filter = filter with { Sort = _filter.Sort, Descending = _filter.Descending };
        KeepInAddress();
        return ReloadAsync();
    }

    /// <summary>The filters and order in the page's address: a link or a reload shows the same runs.</summary>
    private void KeepInAddress()
    {
        var path = new Uri(Navigation.Uri).GetLeftPart(UriPartial.Path);
        var target = path + _filter.ToQueryString();
        if (target != Navigation.Uri) Navigation.NavigateTo(target, new NavigationOptions { ReplaceHistoryEntry = true });
    }

    private static Dictionary<string, string?> QueryOf(string uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(uri).Query).ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private void OnRowClick(DataGridRowClickEventArgs<RunSummary> args) => Navigation.NavigateTo($"/runs/{args.Item.Id}");

    private static string Scope(RunSummary run) => (run.Tenant, run.UseCase) switch
    {
        (null, null) => "—",
        (null, { } useCase) => $"all tenants · {useCase}",
        ({ } tenant, null) => tenant,
        ({ } tenant, { } useCase) => $"{tenant} · {useCase}",
    };

    /// <summary>The bar shows what ran: a failed run's bar stops where its tasks stopped running.</summary>
    private static double Percent(RunSummary run) => run.ChildCount > 0
        ? 100.0 * (run.ChildrenSucceeded + run.ChildrenFailed) / run.ChildCount
        : run.Tally is { Total: > 0 } t && run.State is RunState.Failed or RunState.Cancelled ? 100.0 * (t.Succeeded + t.Failed) / t.Total
        : run.TaskCount == 0 ? 0 : 100.0 * run.TasksFinished / run.TaskCount;

    private static string Done(RunSummary run) => run.ChildCount > 0
        ? $"{run.ChildrenSucceeded + run.ChildrenFailed} of {run.ChildCount} children"
        : run.Tally is { } t ? t.Text(run.State) : $"{run.TasksFinished} of {run.TaskCount} tasks";

    public void Dispose()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
