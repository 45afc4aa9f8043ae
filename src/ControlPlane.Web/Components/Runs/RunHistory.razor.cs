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

    private async Task<GridData<RunSummary>> LoadAsync(GridState<RunSummary> state, CancellationToken ct)
    {
        var page = await Runs.QueryAsync(_filter.ToQuery(state.Page, state.PageSize) with { OnlyTenants = await UserScope.SlugsAsync(ct) }, ct);
        return new GridData<RunSummary> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private Task OnFiltersChanged(RunFilter filter)
    {
        _filter = filter;
        return ReloadAsync();
    }

    private void OnRowClick(DataGridRowClickEventArgs<RunSummary> args) => Navigation.NavigateTo($"/runs/{args.Item.Id}");

    private static string Scope(RunSummary run) => (run.Tenant, run.UseCase) switch
    {
        (null, null) => "—",
        (null, { } useCase) => $"all tenants · {useCase}",
        ({ } tenant, null) => tenant,
        ({ } tenant, { } useCase) => $"{tenant} · {useCase}",
    };

    private static double Percent(RunSummary run) => run.ChildCount > 0
        ? 100.0 * (run.ChildrenSucceeded + run.ChildrenFailed) / run.ChildCount
        : run.TaskCount == 0 ? 0 : 100.0 * run.TasksFinished / run.TaskCount;

    private static string Done(RunSummary run) => run.ChildCount > 0
        ? $"{run.ChildrenSucceeded + run.ChildrenFailed} of {run.ChildCount} children"
        : $"{run.TasksFinished} of {run.TaskCount} tasks";

    public void Dispose()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
