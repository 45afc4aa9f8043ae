using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Storage;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.FeatureRules;

/// <summary>An enrollment's latest dataset version as rules see it: its stored columns, and its first rows on demand.</summary>
internal sealed record RuleDataset(DatasetVersion Version, IReadOnlyList<RawColumn> Columns)
{
    /// <summary>Rows read for a dry run or a preview: enough to see a constant label or fit an encoder, quick to read.</summary>
    public const int SampleRows = 5000;

    public static async Task<RuleDataset?> LatestAsync(ControlPlaneDbContext db, Guid enrollmentId, CancellationToken ct)
    {
        var version = await db.DatasetVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollmentId)
            .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return null;
        }

        return new RuleDataset(version, DatasetService.Schema(version).Select(c => new RawColumn(c.Name, c.Type)).ToArray());
    }

    public Task<RawTable> SampleAsync(RegionCatalog regions, CancellationToken ct) =>
        SnapshotReader.ReadAsync(regions.StoreFor(Version.Region), Version.SnapshotPath, SampleRows, ct);
}
