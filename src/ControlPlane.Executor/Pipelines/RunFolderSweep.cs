using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// Removes the run folders failed or cancelled retrains of a tenant left behind, once they are old enough that nobody
/// will rerun their tasks (a rerun of a task after <c>featurize</c> needs the folder). Runs that succeeded removed their
/// own; a folder whose run is unknown (the run was deleted) goes too.
/// </summary>
public static class RunFolderSweep
{
    public static readonly TimeSpan KeepFailedFor = TimeSpan.FromDays(7);

    /// <returns>How many run folders were removed.</returns>
    public static async Task<int> SweepAsync(IArtifactStore store, string tenantSlug, Guid currentRun, ControlPlaneDbContext db, DateTime now, CancellationToken ct)
    {
        var root = $"{ArtifactPath.TenantRoot(tenantSlug)}runs/";
        var runIds = (await store.ListAsync(root, ct))
            .Select(path => path[root.Length..].Split('/')[0])
            .Distinct()
            .Select(name => Guid.TryParseExact(name, "N", out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty && id != currentRun)
            .ToList();
        if (runIds.Count == 0) return 0;

        var live = await db.PipelineRuns.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new { r.Id, r.State, r.FinishedAt }).ToListAsync(ct);
        var cutoff = now - KeepFailedFor;
        var stale = runIds.Where(id => live.FirstOrDefault(r => r.Id == id) is not { } run
                                       || (run.State.IsFinished() && run.FinishedAt < cutoff)).ToList();
        foreach (var id in stale)
        {
            await store.DeleteTreeAsync($"{root}{id:N}/", ct);
        }

        return stale.Count;
    }
}
