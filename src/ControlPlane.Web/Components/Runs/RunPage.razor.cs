using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Runs;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// One run, live. Progress reports update the task in memory (no query); state changes update it at once from the event and
/// reload the run, at most four times a second. Events of a fan-out parent's children reload it too.
/// </summary>
public sealed partial class RunPage : IDisposable
{
    private RunDetails? _details;
    private List<TaskSummary> _tasks = [];
    private bool _loaded;
    private Guid _shownId;
    private string? _selectedTask;
    private Guid? _selectedAttempt;
    private volatile HashSet<Guid> _watched = [];
    private int _loads;
    private IDisposable? _subscription;
    private ReloadThrottle? _reload;

    // The latest reported progress of running tasks: the database keeps it only every quarter second.
    private readonly Dictionary<string, (double Percent, string? Message)> _live = new(StringComparer.Ordinal);

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private RunEvents Events { get; set; } = default!;
    [Inject] private ILogger<RunPage> Logger { get; set; } = default!;

    [Parameter] public Guid Id { get; set; }

    /// <summary>The task whose log is shown: the one chosen, else the running task started last, else the task started last.</summary>
    private TaskSummary? LogTask =>
        (_selectedTask is { } name ? _tasks.FirstOrDefault(t => t.Name == name) : null)
        ?? _tasks.Where(t => t.State == TaskState.Running).MaxBy(t => t.StartedAt)
        ?? _tasks.Where(t => t.StartedAt is not null).MaxBy(t => t.StartedAt);

    private Guid? LogAttempt => _selectedAttempt ?? LogTask?.AttemptHistory.LastOrDefault()?.Id;

    private string? LogTitle => LogTask is { } task && LogAttempt is { } id && task.AttemptHistory.FirstOrDefault(a => a.Id == id) is { } attempt
        ? $"{task.Name} · attempt {attempt.Number}" : LogTask?.Name;

    protected override void OnInitialized()
    {
        _reload = new ReloadThrottle(TimeSpan.FromMilliseconds(250), () => InvokeAsync(ReloadAsync),
            ex => Logger.LogWarning(ex, "Reloading run {RunId} failed", Id));
        _subscription = Events.Subscribe(OnRunEvent);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Id == _shownId)
        {
            return;
        }

        _shownId = Id;
        _watched = [Id];
        (_details, _tasks, _loaded, _selectedTask, _selectedAttempt) = (null, [], false, null, null);
        _live.Clear();
        await LoadAsync();
    }

    // Runs on the publisher's thread: filter quickly, then hand over to the renderer.
    private void OnRunEvent(RunEvent e)
    {
        if (!_watched.Contains(e.RunId))
        {
            return;
        }

        switch (e.Kind)
        {
            case RunEvent.TaskProgress:
                _ = InvokeAsync(() => Apply(e));
                break;
            case RunEvent.TaskChanged:
                _ = InvokeAsync(() => Apply(e));
                _reload?.Request();
                break;
            case RunEvent.RunChanged:
                _reload?.Request();
                break;
        }
    }

    private void Apply(RunEvent e)
    {
        var index = e.RunId == Id ? _tasks.FindIndex(t => t.Name == e.Task) : -1;
        if (index < 0)
        {
            return;
        }

        var task = _tasks[index];
        if (e.Kind == RunEvent.TaskProgress)
        {
            if (task.State.IsFinished())
            {
                return; // a late report from an attempt that has ended
            }

            _live[task.Name] = (e.Progress ?? task.Progress, e.Message);
            _tasks[index] = task with { State = TaskState.Running, Progress = e.Progress ?? task.Progress, ProgressMessage = e.Message };
        }
        else if (e.TaskState is { } state)
        {
            _live.Remove(task.Name);
            _tasks[index] = task with { State = state, Progress = e.Progress ?? task.Progress, Error = state.IsFinished() ? e.Message : task.Error };
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
        var load = ++_loads;
        var details = await Runs.GetAsync(Id);
        if (load != _loads)
        {
            return; // a later load has started; its result is the fresher one
        }

        _loaded = true;
        _details = details;
        _tasks = details?.Tasks.Select(WithLiveProgress).ToList() ?? [];
        _watched = [Id, .. details?.Children.Select(c => c.Id) ?? []];
    }

    private TaskSummary WithLiveProgress(TaskSummary task)
    {
        if (task.State != TaskState.Running)
        {
            _live.Remove(task.Name);
            return task;
        }

        return _live.TryGetValue(task.Name, out var live) && live.Percent > task.Progress
            ? task with { Progress = live.Percent, ProgressMessage = live.Message }
            : task;
    }

    private void SelectTask(string task)
    {
        _selectedTask = task;
        _selectedAttempt = null;
    }

    private void SelectAttempt((string Task, Guid Attempt) choice) => (_selectedTask, _selectedAttempt) = (choice.Task, choice.Attempt);

    public void Dispose()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
