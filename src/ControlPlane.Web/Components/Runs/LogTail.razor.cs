using System.Globalization;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Runs;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// Tails one attempt's log: its stored lines, then every new line as it is published. Lines reach the database in batches
/// a little after they are published, so the tail keeps each attempt's live lines from the moment it opens, and reads the
/// database again shortly after an attempt is chosen to pick up lines published just before it was listening.
/// </summary>
public sealed partial class LogTail : IDisposable
{
    public const int Keep = 500;
    private static readonly TimeSpan[] CatchUps = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(1500)];

    private readonly Dictionary<Guid, List<string>> _live = [];
    private TailLines _tail = new(Keep);
    private Guid? _shown;
    private bool _loadedOnce;
    private CancellationTokenSource _selection = new();
    private IDisposable? _subscription;

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private RunEvents Events { get; set; } = default!;

    /// <summary>The run whose lines are kept; give the component a new key for another run.</summary>
    [Parameter, EditorRequired] public Guid RunId { get; set; }

    [Parameter] public Guid? AttemptId { get; set; }
    [Parameter] public string? Title { get; set; }

    private IReadOnlyList<string> Lines => _tail.Lines;

    protected override void OnInitialized()
    {
        var runId = RunId;
        _subscription = Events.Subscribe(e =>
        {
            if (e.Kind == RunEvent.LogLine && e.RunId == runId && e.AttemptId is { } attempt && e.Message is { } text)
            {
                _ = InvokeAsync(() => Append(attempt, text));
            }
        });
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedOnce && AttemptId == _shown)
        {
            return;
        }

        _loadedOnce = true;
        var previous = _selection;
        _selection = new CancellationTokenSource();
        await previous.CancelAsync();
        previous.Dispose();
        (_shown, _tail) = (AttemptId, new TailLines(Keep));
        if (AttemptId is not { } attempt)
        {
            return;
        }

        _tail.AddLive(_live.GetValueOrDefault(attempt, []));
        var token = _selection.Token;
        try
        {
            if (!await ReadStoredAsync(attempt, token))
            {
                return;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return; // another attempt was chosen while this one's lines were read
        }

        foreach (var delay in CatchUps)
        {
            _ = CatchUpAsync(attempt, delay, token);
        }
    }

    private void Append(Guid attempt, string text)
    {
        if (!_live.TryGetValue(attempt, out var kept))
        {
            _live[attempt] = kept = [];
        }

        kept.Add(text);
        TailLines.Trim(kept, Keep);
        if (attempt == _shown)
        {
            _tail.AddLive([text]);
            StateHasChanged();
        }
    }

    private async Task CatchUpAsync(Guid attempt, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
            var before = _tail.LastStoredId;
            if (await ReadStoredAsync(attempt, ct) && _tail.LastStoredId != before)
            {
                StateHasChanged();
            }
        }
        catch (OperationCanceledException)
        {
            // Another attempt was chosen, or the page closed.
        }
    }

    /// <summary>Reads the attempt's stored lines after those already read; false when the choice changed meanwhile.</summary>
    private async Task<bool> ReadStoredAsync(Guid attempt, CancellationToken ct)
    {
        while (true)
        {
            var page = await Runs.LogAsync(attempt, _tail.LastStoredId, 5000, ct);
            if (_shown != attempt || ct.IsCancellationRequested)
            {
                return false;
            }

            // Formatted as the engine formats the live lines, so a line read from both places is recognised.
            _tail.AddStored(page.Select(l => $"{l.At:HH:mm:ss.fff} {l.Level} {l.Message}"), page.Count > 0 ? page[^1].Id : 0);
            if (page.Count < 5000)
            {
                return true;
            }
        }
    }

    private static string LevelCss(string line)
    {
        var level = line.Split(' ', 3) is [_, var l, ..] ? l : "";
        return "cp-log-" + level.ToLower(CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _selection.Cancel();
        _selection.Dispose();
    }
}
