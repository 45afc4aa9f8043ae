using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Runs;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// The grid view of recent runs. Task events of runs on screen recolour their cell at once from the event itself; run events
/// (a new run, a run finishing) reload the grid, at most four times a second.
/// </summary>
public sealed partial class RunGridView : IDisposable
{
    private IReadOnlyList<PipelineInfo> _pipelines = [];
    private string? _pipeline;
    private int _count = 25;
    private RunGrid? _grid;
    private List<RunGridColumn> _columns = [];
    private volatile HashSet<Guid> _onScreen = [];
    private int _loads;
    private int _loading;
    private IDisposable? _subscription;
    private ReloadThrottle? _reload;

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private RunEvents Events { get; set; } = default!;
    [Inject] private ILogger<RunGridView> Logger { get; set; } = default!;

    /// <summary>The pipeline shown; when not set, the pipeline of the most recent run.</summary>
    [Parameter] public string? Pipeline { get; set; }

    [Parameter] public EventCallback<string?> PipelineChanged { get; set; }

    private bool FanOut => _pipelines.FirstOrDefault(p => p.Name == _pipeline)?.FanOut == true;

    private IReadOnlyList<string> Rows => FanOut ? [RunGridCells.FanOutRow] : _grid?.Tasks ?? [];

    protected override async Task OnInitializedAsync()
    {
        _pipelines = Runs.Pipelines();
        _pipeline = Pipeline ?? (await Runs.QueryAsync(new RunQuery { PageSize = 1 })).Items.FirstOrDefault()?.Pipeline
            ?? _pipelines.FirstOrDefault()?.Name;
        _reload = new ReloadThrottle(TimeSpan.FromMilliseconds(250), () => InvokeAsync(ReloadAsync),
            ex => Logger.LogWarning(ex, "Reloading the runs grid failed"));
        _subscription = Events.Subscribe(OnRunEvent);
        await LoadAsync();
        if (_pipeline != Pipeline)
        {
            await PipelineChanged.InvokeAsync(_pipeline);
        }
    }

    // Runs on the publisher's thread: decide quickly, then hand over to the renderer.
    private void OnRunEvent(RunEvent e)
    {
        if (e.Kind == RunEvent.TaskChanged && _onScreen.Contains(e.RunId))
        {
            _ = InvokeAsync(() => ApplyTaskChange(e));
        }
        else if (e.Kind is RunEvent.RunChanged or RunEvent.TaskChanged)
        {
            _reload?.Request();
        }
    }

    private void ApplyTaskChange(RunEvent e)
    {
        var index = _columns.FindIndex(c => c.Run.Id == e.RunId);
        if (index < 0 || e.Task is null || e.TaskState is not { } state)
        {
            return;
        }

        var column = _columns[index];
        var tasks = new Dictionary<string, TaskCell>(column.Tasks, StringComparer.Ordinal) { [e.Task] = new TaskCell(state, e.Progress ?? 0) };
        _columns[index] = column with { Tasks = tasks };
        if (_loading > 0)
        {
            _reload?.Request(); // a load already under way may have read the state before this change
        }

        StateHasChanged();
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        if (_pipeline is null)
        {
            _grid = new RunGrid("", [], []);
            return;
        }

        // Loads can overlap (a reload while the pipeline changes): only the latest one started may show its result.
        var load = ++_loads;
        RunGrid grid;
        _loading++;
        try
        {
            grid = await Runs.GridAsync(_pipeline, _count);
        }
        finally
        {
            _loading--;
        }

        if (load != _loads)
        {
            return;
        }

        _grid = grid;
        _columns = [.. grid.Runs];
        _onScreen = grid.Runs.Select(c => c.Run.Id).ToHashSet();
    }

    private async Task OnPipelineChanged(string? pipeline)
    {
        _pipeline = pipeline;
        await LoadAsync();
        await PipelineChanged.InvokeAsync(pipeline);
    }

    private async Task OnCountChanged(int count)
    {
        _count = count;
        await LoadAsync();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
