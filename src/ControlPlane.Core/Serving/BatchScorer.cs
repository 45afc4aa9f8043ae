using System.Runtime.CompilerServices;
using System.Text.Json;
using ControlPlane.Core.Predictions;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.Core.Serving;

/// <summary>Rows of a table that one model version scores.</summary>
/// <param name="MappingId">A pooled version: the tenant's own version whose fitted rules map the rows onto it.</param>
public sealed record ScoringGroup(Guid VersionId, int[] Rows, Guid? MappingId = null);

/// <summary>
/// Scores the rows of a raw table (a dataset snapshot, in the tenant's column names) for batch scoring and backfills:
/// the rows go in groups (one per model version), each group in chunks through the model's whole chain at once
/// (much cheaper per row than the real-time row scorer; a chunk per core at a time), and come out as <see cref="PredictionChunk"/>s numbered in
/// order for the <see cref="PredictionWriter"/>.
/// </summary>
public sealed class BatchScorer(ModelCache cache)
{
    public const int ChunkRows = 16_384;
    private const string True = "true";
    private const string False = "false";

    /// <summary>
    /// The table's columns lined up with what the model reads: a missing input column the features do not read is read as
    /// missing; a missing required column, or one of another type, is an error naming it.
    /// </summary>
    public static RawTable? Align(RawTable data, TrainedModel model, out string? error) =>
        Align(data, model.InputColumns, model.RequiredColumns, out error);

    /// <inheritdoc cref="Align(RawTable, TrainedModel, out string?)"/>
    public static RawTable? Align(RawTable data, IReadOnlyList<RawColumn> inputColumns, IReadOnlyList<string> requiredColumns, out string? error)
    {
        var byName = data.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var required = requiredColumns.ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        var mistyped = new List<string>();
        var columns = new List<RawTableColumn>(inputColumns.Count);
        foreach (var input in inputColumns)
        {
            if (!byName.TryGetValue(input.Name, out var column))
            {
                if (required.Contains(input.Name)) missing.Add(input.Name);
                columns.Add(RawTableColumn.Missing(input.Name, input.Type, data.RowCount));
            }
            else if (column.Type != input.Type && !(Textual(column.Type) && Textual(input.Type)))
            {
                mistyped.Add($"{input.Name} ({column.Type.ToString().ToLowerInvariant()}, the model reads {input.Type.ToString().ToLowerInvariant()})");
            }
            else
            {
                columns.Add(column.Type == input.Type ? column : RawTableColumn.Strings(input.Name, input.Type, (string?[])column.Values));
            }
        }

        error = (missing.Count, mistyped.Count) switch
        {
            (0, 0) => null,
            _ => string.Join(" ", new[]
            {
                missing.Count > 0 ? $"The data lacks the column{(missing.Count == 1 ? "" : "s")} the model reads: {string.Join(", ", missing)}." : null,
                mistyped.Count > 0 ? $"Columns of another type than the model was trained on: {string.Join(", ", mistyped)}." : null,
            }.OfType<string>()),
        };
        return error is null ? new RawTable(columns) : null;
    }

    private static bool Textual(FeatureType type) => type is FeatureType.Category or FeatureType.Text;

    /// <summary>
    /// Scores each group's rows with its version, in chunks; the predictions are numbered 0, 1, … across groups.
    /// <paramref name="asOf"/> gives each source row's as-of time; it is called from several threads at once (chunks are
    /// scored side by side), so it must only read. A version whose model does not fit the data ends the
    /// enumeration with an <see cref="InvalidDataException"/> that says why.
    /// </summary>
    /// <param name="scored">Called after each chunk with the rows scored so far.</param>
    public async IAsyncEnumerable<PredictionChunk> ScoreAsync(
        RawTable data, IReadOnlyList<ScoringGroup> groups, Func<int, DateTime> asOf, Action<long>? scored = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var next = 0;
        foreach (var group in groups)
        {
            if (group.MappingId is { } mapping)
            {
                // A pooled version: the tenant's rules map each chunk onto its columns (the serving path, rented per chunk).
                for (var start = 0; start < group.Rows.Length; start += ChunkRows)
                {
                    ct.ThrowIfCancellationRequested();
                    var rows = group.Rows.AsSpan(start, Math.Min(ChunkRows, group.Rows.Length - start)).ToArray();
                    using var lease = await cache.RentPooledAsync(group.VersionId, mapping, ct);
                    var aligned = Align(RawTableRows.Select(data, rows), lease.InputColumns, lease.RequiredColumns, out var error)
                        ?? throw new InvalidDataException($"Model version {group.VersionId} cannot score this data: {error}");
                    var chunk = Fill(lease.Score(aligned), lease.Report.Task, Enumerable.Range(0, rows.Length).ToArray(), rows, group.VersionId, asOf, next);
                    next += chunk.Count;
                    scored?.Invoke(next);
                    yield return chunk;
                }

                continue;
            }

            var model = await cache.ModelAsync(group.VersionId, ct);
            var table = Align(data, model, out var problem)
                ?? throw new InvalidDataException($"Model version {group.VersionId} cannot score this data: {problem}");

            // Chunks are scored side by side, one per core, and handed on in order: the writer (and, on PostgreSQL,
            // the server) take the cores whenever scoring waits for them.
            var pending = new Queue<Task<PredictionChunk>>();
            try
            {
                for (var start = 0; start < group.Rows.Length || pending.Count > 0;)
                {
                    while (pending.Count < Parallelism && start < group.Rows.Length)
                    {
                        ct.ThrowIfCancellationRequested();
                        var rows = group.Rows.AsSpan(start, Math.Min(ChunkRows, group.Rows.Length - start)).ToArray();
                        var first = next;
                        pending.Enqueue(Task.Run(() => Score(model, table, rows, group.VersionId, asOf, first), ct));
                        next += rows.Length;
                        start += rows.Length;
                    }

                    var chunk = await pending.Dequeue();
                    scored?.Invoke(chunk.FirstRow + chunk.Count);
                    yield return chunk;
                }
            }
            finally
            {
                // Stopped early (an error, a cancel): the chunks still being scored finish before the model is let go.
                while (pending.TryDequeue(out var left))
                {
                    await left.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
    }

    private static int Parallelism => Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// The rows scored by a model held in memory (a backtest's, never registered), in chunks numbered from 0; its
    /// predictions carry <paramref name="modelId"/>.
    /// </summary>
    public static async IAsyncEnumerable<PredictionChunk> ScoreWithAsync(
        TrainedModel model, Guid modelId, RawTable data, int[] rows, Func<int, DateTime> asOf, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var table = Align(data, model, out var problem) ?? throw new InvalidDataException($"The model cannot score this data: {problem}");
        for (var start = 0; start < rows.Length; start += ChunkRows)
        {
            ct.ThrowIfCancellationRequested();
            var part = rows.AsSpan(start, Math.Min(ChunkRows, rows.Length - start)).ToArray();
            var first = start;
            yield return await Task.Run(() => Score(model, table, part, modelId, asOf, first), ct);
        }
    }

    private static PredictionChunk Score(TrainedModel model, RawTable table, int[] rows, Guid versionId, Func<int, DateTime> asOf, int firstRow)
    {
        var whole = rows.Length == table.RowCount && rows.Length > 0 && rows[0] == 0 && rows[^1] == rows.Length - 1;
        var input = whole ? table : RawTableRows.Select(table, rows);
        var task = model.Report.Task;
        if (task == TaskType.Multiclass)
        {
            return Fill(model.Score(input), task, null, rows, versionId, asOf, firstRow);
        }

        // Binary and regression: the scores and keys go from ML.NET's cursor straight into the chunk's columns.
        var chunk = new PredictionChunk(firstRow, rows.Length);
        model.ScoreInto(input, chunk.Scores, chunk.EntityKeys);
        for (var i = 0; i < rows.Length; i++)
        {
            chunk.AsOf[i] = asOf(rows[i]);
            chunk.ModelVersionIds[i] = versionId;
            if (task == TaskType.Binary)
            {
                chunk.Labels[i] = chunk.Scores[i] >= 0.5 ? True : False;
            }
        }

        return chunk;
    }

    /// <param name="scoreIndex">Where each row's score is in <paramref name="scores"/>; null: in row order.</param>
    private static PredictionChunk Fill(
        IReadOnlyList<ModelScore> scores, TaskType task, int[]? scoreIndex, int[] rows, Guid versionId, Func<int, DateTime> asOf, int firstRow)
    {
        var chunk = new PredictionChunk(firstRow, rows.Length);
        if (task == TaskType.Multiclass) chunk.ClassScores = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var score = scores[scoreIndex?[i] ?? i];
            chunk.EntityKeys[i] = score.EntityKey;
            chunk.AsOf[i] = asOf(rows[i]);
            chunk.ModelVersionIds[i] = versionId;
            chunk.Scores[i] = score.Score;
            switch (task)
            {
                case TaskType.Binary:
                    chunk.Labels[i] = score.Score >= 0.5 ? True : False;
                    break;
                case TaskType.Multiclass:
                    chunk.Labels[i] = score.Class;
                    chunk.ClassScores![i] = score.ClassScores is null ? null : JsonSerializer.Serialize(score.ClassScores);
                    break;
            }
        }

        return chunk;
    }
}
