using System.Globalization;
using ControlPlane.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ControlPlane.Core.Predictions;

/// <summary>What a finished partition records besides its rows.</summary>
/// <param name="Models">The versions that scored its rows, e.g. "own v3, own v4".</param>
public sealed record PartitionSummary(string? Models, long SkippedRows = 0, string? Note = null);

/// <summary>
/// Writes a partition's predictions and makes it the current one for its key in one transaction: the predictions of
/// any earlier partition with the same enrollment and key are deleted (that partition is marked replaced), the new rows
/// are bulk-written — binary <c>COPY</c> on PostgreSQL (encoded by <see cref="PredictionCopyBuffer"/>), one prepared insert reused per row on SQLite — and the partition
/// is marked done. A crash or cancel before the commit leaves the earlier predictions in place and the partition not
/// done, so writing it again is safe.
/// </summary>
public sealed class PredictionWriter(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    /// <summary>Returns the number of rows written.</summary>
    /// <param name="rowsWritten">Called after each chunk with the rows written so far.</param>
    public async Task<long> WriteAsync(
        Guid partitionId, IAsyncEnumerable<PredictionChunk> chunks, Func<PartitionSummary> summary,
        Func<long, Task>? rowsWritten = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var partition = await db.PredictionPartitions.SingleAsync(p => p.Id == partitionId, ct);

        // Rows of this partition from an attempt that did not commit cannot exist; an earlier committed write of the same
        // partition (a retried task that had already finished it) is replaced.
        await db.Predictions.Where(p => p.PartitionId == partitionId).ExecuteDeleteAsync(ct);
        var earlier = db.PredictionPartitions.Where(p => p.EnrollmentId == partition.EnrollmentId && p.Key == partition.Key
            && p.State == PartitionStates.Done && p.Id != partitionId);
        await db.Predictions.Where(p => earlier.Select(e => e.Id).Contains(p.PartitionId)).ExecuteDeleteAsync(ct);
        await earlier.ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PartitionStates.Replaced), ct);

        var rows = db.Database.IsNpgsql()
            ? await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), partitionId, chunks, rowsWritten, ct)
            : await InsertAsync((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)transaction.GetDbTransaction(), partitionId, chunks, rowsWritten, ct);

        var (models, skipped, note) = summary();
        partition.State = PartitionStates.Done;
        partition.RowCount = rows;
        partition.SkippedRows = skipped;
        partition.Models = Limit(models, 1000);
        partition.Note = Limit(note, 2000);
        partition.CompletedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return rows;
    }

    private static async Task<long> CopyAsync(
        NpgsqlConnection connection, Guid partitionId, IAsyncEnumerable<PredictionChunk> chunks, Func<long, Task>? rowsWritten, CancellationToken ct)
    {
        long rows = 0;
        var buffer = new PredictionCopyBuffer();
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            "COPY \"Predictions\" (\"PartitionId\", \"Row\", \"EntityKey\", \"AsOf\", \"ModelVersionId\", \"Score\", \"Label\", \"ClassScores\") FROM STDIN (FORMAT BINARY)", ct);
        try
        {
            await foreach (var chunk in chunks.WithCancellation(ct))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    buffer.Row(partitionId, chunk.FirstRow + i, chunk.EntityKeys[i], chunk.AsOf[i], chunk.ModelVersionIds[i], chunk.Scores[i],
                        chunk.Labels[i], chunk.ClassScores?[i]);
                    if (buffer.Length >= SendBytes)
                    {
                        await copy.WriteAsync(buffer.Take(), ct);
                    }
                }

                rows += chunk.Count;
                if (rowsWritten is not null) await rowsWritten(rows);
            }

            buffer.End();
            await copy.WriteAsync(buffer.Take(), ct);
        }
        catch
        {
            // Abandon the COPY so the connection is usable for the rollback; the first error is the one to report.
            try
            {
                await copy.CancelAsync();
            }
            catch (Exception cancel) when (cancel is NpgsqlException or IOException or InvalidOperationException)
            {
            }

            throw;
        }

        return rows;
    }

    /// <summary>How much encoded COPY data is sent at a time.</summary>
    private const int SendBytes = 256 * 1024;

    private static async Task<long> InsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, Guid partitionId, IAsyncEnumerable<PredictionChunk> chunks,
        Func<long, Task>? rowsWritten, CancellationToken ct)
    {
        long rows = 0;
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO \"Predictions\" (\"PartitionId\", \"Row\", \"EntityKey\", \"AsOf\", \"ModelVersionId\", \"Score\", \"Label\", \"ClassScores\") " +
                             "VALUES ($p, $r, $k, $a, $m, $s, $l, $c)";
        // Stored as EF Core's SQLite provider stores them, so EF reads them back: GUIDs as upper-case text, times as text.
        var partition = insert.Parameters.Add("$p", SqliteType.Text);
        partition.Value = partitionId.ToString().ToUpperInvariant();
        var row = insert.Parameters.Add("$r", SqliteType.Integer);
        var key = insert.Parameters.Add("$k", SqliteType.Text);
        var asOf = insert.Parameters.Add("$a", SqliteType.Text);
        var model = insert.Parameters.Add("$m", SqliteType.Text);
        var score = insert.Parameters.Add("$s", SqliteType.Real);
        var label = insert.Parameters.Add("$l", SqliteType.Text);
        var classes = insert.Parameters.Add("$c", SqliteType.Text);
        insert.Prepare();
        Guid lastModel = default;
        string lastModelText = "";
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                row.Value = chunk.FirstRow + i;
                key.Value = (object?)chunk.EntityKeys[i] ?? DBNull.Value;
                asOf.Value = SqliteTime(chunk.AsOf[i]);
                if (chunk.ModelVersionIds[i] != lastModel || lastModelText.Length == 0)
                {
                    lastModel = chunk.ModelVersionIds[i];
                    lastModelText = lastModel.ToString().ToUpperInvariant();
                }

                model.Value = lastModelText;
                score.Value = chunk.Scores[i];
                label.Value = (object?)chunk.Labels[i] ?? DBNull.Value;
                classes.Value = (object?)chunk.ClassScores?[i] ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }

            rows += chunk.Count;
            if (rowsWritten is not null) await rowsWritten(rows);
        }

        return rows;
    }

    /// <summary>EF Core's SQLite text form of a timestamp.</summary>
    internal static string SqliteTime(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static string? Limit(string? text, int length) => text is null || text.Length <= length ? text : text[..(length - 1)] + "…";
}
