using System.Globalization;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Runs;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// Tails one attempt's log. From the moment it opens it keeps the run's new log lines per attempt (they reach the database
/// in batches, a little later), so switching to an attempt shows the stored lines plus any not stored yet, in order.
/// </summary>
public sealed partial class LogTail : IDisposable
{
    public const int Keep = 500;

    private readonly Dictionary<Guid, List<string>> _live = [];
    private List<string> _lines = [];
    private Guid? _shown;
    private bool _loadedOnce;
    private IDisposable? _subscription;

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private RunEvents Events { get; set; } = default!;

    /// <summary>The run whose lines are kept; give the component a new key for another run.</summary>
    [Parameter, EditorRequired] public Guid RunId { get; set; }

    [Parameter] public Guid? AttemptId { get; set; }
    [Parameter] public string? Title { get; set; }

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
        _shown = AttemptId;
        _lines = [];
        if (AttemptId is not { } attempt)
        {
            return;
        }

        var stored = await StoredAsync(attempt);
        if (_shown != attempt)
        {
            return; // another attempt was chosen meanwhile
        }

        var seen = stored.ToHashSet(StringComparer.Ordinal);
        _lines = [.. stored, .. _live.GetValueOrDefault(attempt, []).Where(l => !seen.Contains(l))];
        Trim(_lines);
    }

    private void Append(Guid attempt, string text)
    {
        if (!_live.TryGetValue(attempt, out var kept))
        {
            _live[attempt] = kept = [];
        }

        kept.Add(text);
        Trim(kept);
        if (attempt == _shown)
        {
            _lines.Add(text);
            Trim(_lines);
            StateHasChanged();
        }
    }

    /// <summary>The attempt's last <see cref="Keep"/> stored lines, formatted as the engine formats live lines.</summary>
    private async Task<List<string>> StoredAsync(Guid attempt)
    {
        var lines = new List<string>();
        long after = 0;
        while (true)
        {
            var page = await Runs.LogAsync(attempt, after, 5000);
            lines.AddRange(page.Select(l => $"{l.At:HH:mm:ss.fff} {l.Level} {l.Message}"));
            Trim(lines);
            if (page.Count < 5000)
            {
                return lines;
            }

            after = page[^1].Id;
        }
    }

    private static void Trim(List<string> lines)
    {
        if (lines.Count > Keep)
        {
            lines.RemoveRange(0, lines.Count - Keep);
        }
    }

    private static string LevelCss(string line)
    {
        var level = line.Split(' ', 3) is [_, var l, ..] ? l : "";
        return "cp-log-" + level.ToLower(CultureInfo.InvariantCulture);
    }

    public void Dispose() => _subscription?.Dispose();
}
