using ControlPlane.Core.Common;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Auth;
using MudBlazor;

namespace ControlPlane.Web.Components.FeatureRules;

/// <summary>Saving the draft as a new version (only when the service finds it valid), and diffs between versions or against the draft.</summary>
public partial class RulesPage
{
    private async Task SaveAsync()
    {
        if (_editor == EditorView.Json && !RuleJson.TryParse(_json, out _, out var syntax))
        {
            _errors = RuleErrorIndex.From(syntax);
            Snackbar.Add("Not saved: the JSON does not parse.", Severity.Error);
            return;
        }

        _saving = true;
        try
        {
            var before = _view!.Number;
            var result = await Rules.SaveAsync(Slug, UseCase, RuleJson.Write(_draft), _comment?.Trim() ?? "", await AuthState.ActorAsync());
            if (!result.IsOk)
            {
                _errors = new RuleErrorIndex(result.Errors);
                Snackbar.Add($"Not saved: {(_errors.Any ? $"{_errors.Count} problem(s) in the rules" : result.Message)}.", Severity.Error);
                return;
            }

            _view = result.Value!;
            _draft = _view.Overrides;
            _json = RuleJson.Write(_draft);
            _errors = RuleErrorIndex.None;
            _comment = null;
            await LoadVersionsAsync();
            var report = await Validation.RevalidateLatestAsync(Slug, UseCase, _view.Number);
            var again = report is null ? "" : $" Dataset v{report.DatasetVersion} validated again by them: {report.Outcome}.";
            Snackbar.Add((_view.Number == before ? $"No changes: version {before} kept." : $"Saved version {_view.Number}.") + again,
                report?.IsBlocked == true ? Severity.Warning : Severity.Success);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task<Result<IReadOnlyList<RuleChange>>> DiffAsync(int from, int to)
    {
        if (to != DraftNumber)
        {
            return await Rules.DiffAsync(Slug, UseCase, from, to);
        }

        var before = await Rules.GetAsync(Slug, UseCase, from);
        return before.IsOk
            ? Result<IReadOnlyList<RuleChange>>.Ok(RuleDiff.Compare(before.Value!.Effective, RuleInheritance.Effective(_view!.Defaults, _draft)))
            : Result<IReadOnlyList<RuleChange>>.NotFound(before.Message!);
    }
}
