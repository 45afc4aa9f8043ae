using ControlPlane.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
    /// <summary>
    /// The promotion gate for a newly registered own version: the model that would serve the enrollment (the version, or
    /// the pooled one when its own-versus-pooled decision chose the pool) becomes challenger, and champion too when there
    /// is no champion or it is not worse than the champion by more than the configured tolerance. With
    /// <paramref name="scoreChampion"/> the champion is scored on the challenger's test split (the same test data);
    /// without, the stored headlines are compared and the reason says so. The decision and its reason go into the history.
    /// </summary>
    public async Task<Result<GateDecision>> GateAsync(
        string tenant, string useCase, int challengerNumber, string actor, ChampionScorer? scoreChampion = null, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<GateDecision>.NotFound(NotEnrolled(tenant, useCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.PooledVersion)
            .FirstOrDefaultAsync(v => v.EnrollmentId == enrollment.Id && v.Number == challengerNumber, ct);
        if (version is null)
        {
            return Result<GateDecision>.NotFound($"'{tenant}' has no version {challengerNumber} of its '{useCase}' model.");
        }

        var byPool = version is { ServingChoice: ServingChoices.Pooled, PooledVersion: not null };
        var candidate = byPool ? version.PooledVersion! : version;
        var candidateValue = byPool ? version.PooledHeadlineValue ?? candidate.HeadlineValue : version.HeadlineValue;
        var champion = await db.ModelAliases.AsNoTracking().Where(a => a.EnrollmentId == enrollment.Id && a.Name == AliasNames.Champion)
            .Select(a => a.ModelVersion).FirstOrDefaultAsync(ct);

        double? championValue = champion?.HeadlineValue;
        var sameData = false;
        if (champion is not null && champion.Id != candidate.Id && scoreChampion is not null)
        {
            championValue = await scoreChampion(Summary(champion, champion.Kind == ModelVersionKinds.Own ? tenant : null, useCase, [AliasNames.Champion]), ct);
            sameData = true;
        }

        var tolerance = options.Value.Registry.PromotionTolerance;
        var (promote, reason) = champion?.Id == candidate.Id
            ? (false, $"{ModelVersionRef.From(candidate)} is already champion.")
            : PromotionGate.Decide(version.HeadlineMetric, candidateValue, championValue, version.HigherIsBetter, tolerance, sameData);
        if (byPool)
        {
            reason = $"{ModelVersionRef.From(version)} is served by {ModelVersionRef.From(candidate)} ({version.ServingReason}). {reason}";
        }

        var why = Truncated($"Promotion gate: {reason}", MaxReasonLength);
        await StageMoveAsync(db, enrollment.Id, AliasNames.Challenger, candidate, actor, why, true, ct);
        if (promote)
        {
            await StageMoveAsync(db, enrollment.Id, AliasNames.Champion, candidate, actor, why, true, ct);
        }

        if (await SaveMovesAsync(db, promote ? AliasNames.Champion : AliasNames.Challenger, ct) is { } conflict)
        {
            return Result<GateDecision>.Conflict("alias", conflict.Message!);
        }

        return Result<GateDecision>.Ok(new GateDecision(
            promote, ModelVersionRef.From(candidate), champion is null ? null : ModelVersionRef.From(champion), version.HeadlineMetric,
            candidateValue, championValue, sameData, tolerance, reason));
    }
}
