using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// The batch-scoring benchmark's second floor: prediction rows built beforehand, written by one binary COPY into the
/// <c>Predictions</c> table of a new pending partition, in one transaction — what PostgreSQL takes for the rows alone.
/// </summary>
internal static class PlainCopy
{
    public static async Task WriteAsync(IServiceProvider services, BatchScoringTenant tenant, IReadOnlyList<PredictionChunk> chunks, CancellationToken ct)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.Where(e => e.Tenant!.Slug == tenant.Slug).Select(e => e.Id).SingleAsync(ct);
        var dataset = await db.DatasetVersions.Where(v => v.EnrollmentId == enrollment && v.Number == 1).Select(v => v.Id).SingleAsync(ct);
        var partition = new PredictionPartition
        {
            Id = Guid.NewGuid(), EnrollmentId = enrollment, Kind = PredictionKinds.Batch, Key = $"floor:{Guid.NewGuid():N}", RunId = Guid.NewGuid(),
            DatasetVersionId = dataset, CreatedAt = DateTime.UtcNow,
        };
        db.PredictionPartitions.Add(partition);
        await db.SaveChangesAsync(ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY \"Predictions\" (\"PartitionId\", \"Row\", \"EntityKey\", \"AsOf\", \"ModelVersionId\", \"Score\", \"Label\", \"ClassScores\") FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var chunk in chunks)
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    copy.StartRow();
                    copy.Write(partition.Id, NpgsqlDbType.Uuid);
                    copy.Write(chunk.FirstRow + i, NpgsqlDbType.Integer);
                    copy.Write(chunk.EntityKeys[i]!, NpgsqlDbType.Text);
                    copy.Write(chunk.AsOf[i], NpgsqlDbType.TimestampTz);
                    copy.Write(chunk.ModelVersionIds[i], NpgsqlDbType.Uuid);
                    copy.Write(chunk.Scores[i], NpgsqlDbType.Double);
                    copy.Write(chunk.Labels[i]!, NpgsqlDbType.Text);
                    copy.WriteNull();
                }
            }

            await copy.CompleteAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }
}
