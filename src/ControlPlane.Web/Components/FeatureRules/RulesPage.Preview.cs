using ControlPlane.ML.Rules;

namespace ControlPlane.Web.Components.FeatureRules;

/// <summary>The debounced live preview of the draft: the newest edit cancels a preview that has not started or finished.</summary>
public partial class RulesPage
{
    private void SchedulePreview(TimeSpan delay)
    {
        // Cancelled, not disposed: the superseded preview may still be reading its token. These sources hold no timer.
        _previewCts?.Cancel();
        if (_columns.Count == 0)
        {
            // No dataset to preview on: clear the errors of the last check, they may no longer apply.
            _errors = RuleErrorIndex.None;
            return;
        }

        _previewCts = new CancellationTokenSource();
        _ = PreviewAsync(RuleJson.Write(_draft), delay, _previewCts.Token);
    }

    private async Task PreviewAsync(string overridesJson, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }

            _previewBusy = true;
            await InvokeAsync(StateHasChanged);
            var result = await Rules.PreviewAsync(Slug, UseCase, overridesJson, PreviewRows, ct);
            ct.ThrowIfCancellationRequested();
            _previewFailure = null;
            if (result.IsOk)
            {
                // Compare with the last rows that were shown, across any invalid drafts in between.
                _previousPreview = _preview;
                _preview = result.Value;
                _previewErrors = _errors = RuleErrorIndex.None;
            }
            else if (result.Errors.Count > 0)
            {
                _previewErrors = _errors = new RuleErrorIndex(result.Errors);
            }
            else
            {
                _previewErrors = RuleErrorIndex.None;
                _previewFailure = result.Message;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A preview runs in the background of the editor: its failure is shown in the panel, not thrown at the circuit.
            _previewFailure = $"The preview failed: {ex.Message}";
        }

        _previewBusy = false;
        await InvokeAsync(StateHasChanged);
    }

    public void Dispose()
    {
        _previewCts?.Cancel();
        _previewCts?.Dispose();
        GC.SuppressFinalize(this);
    }
}
