using ControlPlane.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
    /// <summary>
    /// The promotion gate for a newly registered own version: the model that would serve the enrollment (the version, or
    /// the pooled one when its own-versus-pooled decision chose the pool) becomes challenger, and champion too when
    /// <see cref="PromotionGate.Decide"/> says so from the comparisons in the version's report (made on its validation
    /// rows while it trained). The decision and its reason go into the history.
    /// </summary>
    public async Task<Result<GateDecision>> GateAsync(string tenant, string useCase, int challengerNumber, string actor, CancellationToken ct = default)
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
        var champion = await db.ModelAliases.AsNoTracking().Where(a => a.EnrollmentId == enrollment.Id && a.Name == AliasNames.Champion)
            .Select(a => a.ModelVersion).FirstOrDefaultAsync(ct);

        var report = ML.Training.ModelReportJson.Read(version.ReportJson);
        var candidateRef = ModelVersionRef.From(candidate);
        var verdict = champion?.Id == candidate.Id
            ? new GateVerdict(false, $"{candidateRef} is already champion.")
            : PromotionGate.Decide(report, byPool ? candidate.Id.ToString() : ML.Training.ModelComparison.Own, candidateRef.ToString(), byPool,
                champion?.Id.ToString(), champion is null ? null : ModelVersionRef.From(champion).ToString());
        var reason = verdict.Reason;
        if (byPool)
        {
            reason = $"{ModelVersionRef.From(version)} is served by {candidateRef} ({version.ServingReason}). {reason}";
        }

        var why = Truncated($"Promotion gate: {reason}", MaxReasonLength);
        await StageMoveAsync(db, enrollment.Id, AliasNames.Challenger, candidate, actor, why, true, ct);
        if (verdict.Promote)
        {
            await StageMoveAsync(db, enrollment.Id, AliasNames.Champion, candidate, actor, why, true, ct);
        }

        if (await SaveMovesAsync(db, verdict.Promote ? AliasNames.Champion : AliasNames.Challenger, ct) is { } conflict)
        {
            return Result<GateDecision>.Conflict("alias", conflict.Message!);
        }

        var difference = verdict.VersusChampion?.Difference;
        return Result<GateDecision>.Ok(new GateDecision(
            verdict.Promote, candidateRef, champion is null ? null : ModelVersionRef.From(champion), version.HeadlineMetric,
            difference?.A, difference?.B, difference?.Interval, difference?.Verdict, report.Leakage?.Suspected == true, reason));
    }
}
