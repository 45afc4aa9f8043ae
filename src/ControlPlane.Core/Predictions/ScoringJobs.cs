using ControlPlane.Core.Common;
using ControlPlane.Core.Tenants;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Storage;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Predictions;

/// <summary>How a scoring job reports: percent done and a line for the run's progress.</summary>
public delegate Task ScoringProgress(double percent, string message);

/// <summary>What a backfill run is asked to do (its run's parameters).</summary>
/// <param name="Version">A fixed own version number; null for "the version that was champion at each row's time".</param>
/// <param name="DatasetVersion">The dataset version whose rows are scored; null for the latest one that validation did not block.</param>
public sealed record BackfillRequest(DateOnly From, DateOnly To, int? Version, int? DatasetVersion);

/// <summary>
/// The work of the <c>batch-score</c> and <c>backfill</c> pipelines: read a dataset version's snapshot, pick the model
/// version for each row, score in chunks (<see cref="BatchScorer"/>) while the previous chunk is written
/// (<see cref="PredictionWriter"/>), and keep a sample in the prediction log. A partition is written atomically, so a
/// retried or resumed run never duplicates predictions; a resumed backfill skips the days already written.
/// </summary>
public sealed class ScoringJobs(
    IDbContextFactory<ControlPlaneDbContext> dbs, RegionCatalog regions, FeatureRuleService rules, ModelCache cache,
    BatchScorer scorer, PredictionWriter writer, IOptions<ControlPlaneOptions> options, ILogger<ScoringJobs> logger)
{
    /// <summary>Scores every row of a dataset version with the enrollment's champion into one partition.</summary>
    public async Task<PredictionPartition> BatchScoreAsync(
        Guid runId, string tenant, string useCase, int? datasetVersion, ScoringProgress progress, CancellationToken ct)
    {
        var input = await LoadAsync(tenant, useCase, datasetVersion, ct);
        Guid championId;
        Guid? mappingId = null;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var champion = await db.ModelAliases.Where(a => a.EnrollmentId == input.EnrollmentId && a.Name == AliasNames.Champion)
                .Select(a => new { a.ModelVersionId, a.ModelVersion!.Kind }).FirstOrDefaultAsync(ct)
                ?? throw new InvalidOperationException($"'{tenant}' has no champion model for '{useCase}': retrain and promote a version first.");
            championId = champion.ModelVersionId;
            if (champion.Kind == ModelVersionKinds.Pooled)
            {
                mappingId = (await ChampionDirectory.MappingAsync(db, input.EnrollmentId, championId, ct))?.Id
                    ?? throw new InvalidOperationException(VersionChooser.NoMapping(tenant, useCase));
            }
        }

        var partition = await PartitionForRunAsync(runId, input, ct);
        await progress(2, $"Scoring {input.Data.RowCount:N0} rows of dataset version {input.Dataset.Number} with {await LabelOfAsync(championId, ct)}");
        var rows = Enumerable.Range(0, input.Data.RowCount).ToArray();
        var asOf = input.EventTimes is { } times
            ? (Func<int, DateTime>)(r => times[r] ?? input.Dataset.CreatedAt)
            : _ => input.Dataset.CreatedAt;
        var total = Math.Max(1, input.Data.RowCount);
        await WritePartitionAsync(partition, input, [new ScoringGroup(championId, rows, mappingId)], asOf, 0, null,
            written => progress(2 + 96.0 * written / total, $"{written:N0} of {total:N0} rows written"), ct);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            return await db.PredictionPartitions.AsNoTracking().SingleAsync(p => p.Id == partition.Id, ct);
        }
    }

    /// <summary>
    /// Scores each day of the range: the rows whose event time falls on that day, each with the fixed version or with
    /// the version that was champion at the row's time; one partition per day, written atomically, several days at once.
    /// Days already written by an earlier attempt of the same run are skipped.
    /// </summary>
    public async Task<Backfill> BackfillAsync(
        Guid runId, string tenant, string useCase, BackfillRequest request, string actor, ScoringProgress progress, CancellationToken ct)
    {
        var input = await LoadAsync(tenant, useCase, request.DatasetVersion, ct);
        if (input.EventTimes is not { } times)
        {
            throw new InvalidOperationException(NoEventTime(tenant, useCase));
        }

        var (backfill, partitions) = await PlanAsync(runId, input, request, actor, ct);
        var chooser = await VersionChooser.CreateAsync(dbs, input.EnrollmentId, backfill.ModelVersionId, ct);

        // Rows by day, in the range only: a row is known from its event time on.
        var from = backfill.From;
        var byDay = new Dictionary<DateTime, List<int>>();
        for (var r = 0; r < times.Length; r++)
        {
            if (times[r] is { } t && t.Date >= from && t.Date <= backfill.To)
            {
                (byDay.TryGetValue(t.Date, out var list) ? list : byDay[t.Date] = []).Add(r);
            }
        }

        var todo = partitions.Where(p => p.State != PartitionStates.Done).ToList();
        var done = partitions.Count - todo.Count;
        if (done > 0)
        {
            logger.LogInformation("Backfill {Backfill}: {Done} of {Total} days were written by an earlier attempt; scoring the other {Todo}",
                backfill.Id, done, partitions.Count, todo.Count);
        }

        await progress(100.0 * done / partitions.Count, $"{done} of {partitions.Count} days written");
        var parallelism = options.Value.Serving.BackfillParallelism;
        try
        {
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (partition, token) =>
            {
                var rows = byDay.TryGetValue(partition.Day!.Value, out var list) ? list : [];
                var (groups, skipped) = chooser.Group(rows, r => times[r]!.Value);
                var note = skipped > 0 ? chooser.SkipReason(skipped) : rows.Count == 0 ? "No rows have an event time on this day." : null;
                await WritePartitionAsync(partition, input, groups, r => times[r]!.Value, skipped, note, null, token);
                var finished = Interlocked.Increment(ref done);
                await progress(100.0 * finished / partitions.Count, $"{finished} of {partitions.Count} days written ({partition.Day:yyyy-MM-dd}: {rows.Count - skipped:N0} rows)");
            });
        }
        catch (OperationCanceledException)
        {
            // Cancelled (or the node is stopping): the days not written stay to do; a day in the middle rolled back.
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            await db.PredictionPartitions.Where(p => p.BackfillId == backfill.Id && (p.State == PartitionStates.Pending || p.State == PartitionStates.Running))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PartitionStates.Cancelled), CancellationToken.None);
            throw;
        }

        return backfill;
    }

    /// <summary>
    /// Null when the backfill scored rows; otherwise why none: the days' own notes (no row that day, no version champion
    /// yet), counted — a backfill that writes nothing must say so instead of ending silently green.
    /// </summary>
    public async Task<string?> NothingScoredAsync(Backfill backfill, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var days = await db.PredictionPartitions.AsNoTracking().Where(p => p.BackfillId == backfill.Id)
            .Select(p => new { p.RowCount, p.SkippedRows, p.Note }).ToListAsync(ct);
        if (days.Sum(d => d.RowCount) > 0) return null;
        var skipped = days.Sum(d => d.SkippedRows);
        var span = $"{backfill.From:yyyy-MM-dd} to {backfill.To:yyyy-MM-dd}";
        if (skipped == 0) return $"No row was scored: the data has no row with an event time from {span}.";
        var why = days.Where(d => d.SkippedRows > 0 && d.Note is not null).Select(d => d.Note!).Select(n => n[(n.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .Distinct().FirstOrDefault();
        return $"No row was scored: {skipped:N0} rows from {span} were skipped ({why?.TrimEnd('.')}). Score them with a fixed version, or backtest the history.";
    }

    /// <summary>The message for an enrollment whose rules map no event-time column (a backfill needs one).</summary>
    public static string NoEventTime(string tenant, string useCase) =>
        $"The feature rules of '{tenant}' / '{useCase}' map no event-time column of date-time type: a backfill needs each row's time to know which day it belongs to. Map the event time in the rules first.";

    private async Task<(Backfill Backfill, List<PredictionPartition> Partitions)> PlanAsync(
        Guid runId, ScoringInput input, BackfillRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var backfill = await db.Backfills.AsNoTracking().FirstOrDefaultAsync(b => b.RunId == runId, ct);
        if (backfill is null)
        {
            Guid? versionId = null;
            if (request.Version is { } number)
            {
                versionId = await db.ModelVersions.Where(v => v.EnrollmentId == input.EnrollmentId && v.Kind == ModelVersionKinds.Own && v.Number == number)
                    .Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct)
                    ?? throw new InvalidOperationException(ModelRegistry.NoVersion(input.Tenant, input.UseCase, number));
            }

            var now = DateTime.UtcNow;
            backfill = new Backfill
            {
                Id = Guid.NewGuid(), EnrollmentId = input.EnrollmentId, RunId = runId, ModelVersionId = versionId, DatasetVersionId = input.Dataset.Id,
                From = request.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To = request.To.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                CreatedBy = actor, CreatedAt = now,
            };
            db.Backfills.Add(backfill);
            for (var day = request.From; day <= request.To; day = day.AddDays(1))
            {
                db.PredictionPartitions.Add(new PredictionPartition
                {
                    Id = Guid.NewGuid(), EnrollmentId = input.EnrollmentId, Kind = PredictionKinds.Backfill, Key = DayKey(day), BackfillId = backfill.Id,
                    RunId = runId, Day = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), DatasetVersionId = input.Dataset.Id, CreatedAt = now,
                });
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        var partitions = await db.PredictionPartitions.AsNoTracking().Where(p => p.BackfillId == backfill.Id).OrderBy(p => p.Day).ToListAsync(ct);
        return (backfill, partitions);
    }

    public static string DayKey(DateOnly day) => "day:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<PredictionPartition> PartitionForRunAsync(Guid runId, ScoringInput input, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var partition = await db.PredictionPartitions.AsNoTracking().FirstOrDefaultAsync(p => p.RunId == runId && p.Kind == PredictionKinds.Batch, ct);
        if (partition is not null)
        {
            return partition;
        }

        partition = new PredictionPartition
        {
            Id = Guid.NewGuid(), EnrollmentId = input.EnrollmentId, Kind = PredictionKinds.Batch, Key = $"batch:{input.Dataset.Id:N}", RunId = runId,
            DatasetVersionId = input.Dataset.Id, CreatedAt = DateTime.UtcNow,
        };
        db.PredictionPartitions.Add(partition);
        await db.SaveChangesAsync(ct);
        return partition;
    }

    /// <summary>Scores the groups and writes them as the partition, scoring the next chunk while the last one is written.</summary>
    private async Task WritePartitionAsync(
        PredictionPartition partition, ScoringInput input, IReadOnlyList<ScoringGroup> groups, Func<int, DateTime> asOf, long skipped, string? note,
        Func<long, Task>? written, CancellationToken ct)
    {
        List<string> labels;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await db.PredictionPartitions.Where(p => p.Id == partition.Id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.State, PartitionStates.Running).SetProperty(p => p.StartedAt, DateTime.UtcNow), ct);
            var byId = await PredictionQueries.LabelsAsync(db, groups.Select(g => g.VersionId), ct);
            labels = groups.Select(g => byId[g.VersionId]).ToList();
        }

        var sample = new LogSample(partition.Id, groups, options.Value.Serving.LogSampleRate, options.Value.Serving.MaxLoggedRowsPerPartition);

        try
        {
            var chunks = Prefetch(Tap(scorer.ScoreAsync(input.Data, groups, asOf, ct: ct), sample.Take), ct);
            await writer.WriteAsync(partition.Id, chunks, () => new PartitionSummary(labels.Count == 0 ? null : string.Join(", ", labels.Distinct()), skipped, note),
                written, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            await db.PredictionPartitions.Where(p => p.Id == partition.Id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.State, PartitionStates.Failed).SetProperty(p => p.Note, TextLimits.Clip(ServerPaths.Scrub(e.Message), 2000)), CancellationToken.None);
            throw;
        }

        await sample.SaveAsync(dbs, cache, input, ct);
    }

    private static async IAsyncEnumerable<PredictionChunk> Tap(IAsyncEnumerable<PredictionChunk> chunks, Action<PredictionChunk> tap)
    {
        await foreach (var chunk in chunks)
        {
            tap(chunk);
            yield return chunk;
        }
    }

    /// <summary>Runs the producer one chunk ahead of the consumer on another thread (scoring overlaps writing).</summary>
    private static async IAsyncEnumerable<PredictionChunk> Prefetch(IAsyncEnumerable<PredictionChunk> chunks, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<PredictionChunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in chunks.WithCancellation(stop.Token))
                {
                    await channel.Writer.WriteAsync(chunk, stop.Token);
                }

                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(ct))
            {
                yield return chunk;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    private async Task<string> LabelOfAsync(Guid versionId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await PredictionQueries.LabelsAsync(db, [versionId], ct))[versionId];
    }

    internal async Task<ScoringInput> LoadAsync(string tenant, string useCase, int? datasetVersion, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
            .Select(e => new { e.Id, e.Tenant!.Region }).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException(Enrollment.NotEnrolled(tenant, useCase));
        var versions = db.DatasetVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id);
        var dataset = datasetVersion is { } number
            ? await versions.FirstOrDefaultAsync(v => v.Number == number, ct)
              ?? throw new InvalidOperationException($"'{tenant}' / '{useCase}' has no dataset version {number}.")
            : await versions.Where(v => v.ValidationOutcome != ValidationOutcomes.Blocked).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
              ?? throw new InvalidOperationException($"'{tenant}' / '{useCase}' has no dataset version that passed validation: upload data first.");

        var data = await SnapshotReader.ReadAsync(regions.StoreFor(enrollment.Region), dataset.SnapshotPath, maxRows: null, ct);
        var eventTimeColumn = (await rules.GetAsync(tenant, useCase, ct: ct)).Value?.Effective.EventTime;
        var times = eventTimeColumn is null ? null : data.Columns.FirstOrDefault(c => c.Name == eventTimeColumn && c.Type == FeatureType.DateTime)?.Values as DateTime?[];
        return new ScoringInput(tenant, useCase, enrollment.Id, dataset, data, times);
    }

    internal sealed record ScoringInput(string Tenant, string UseCase, Guid EnrollmentId, DatasetVersion Dataset, RawTable Data, DateTime?[]? EventTimes);

    /// <summary>Every n-th prediction of a partition (from an offset of its own), with its inputs, for the prediction log.</summary>
    private sealed class LogSample
    {
        private readonly int[] _sourceRows;
        private readonly Dictionary<Guid, Guid> _readsFor;
        private readonly Dictionary<int, Guid> _versionOfRow = [];
        private readonly int _stride;
        private readonly int _offset;
        private readonly int _max;
        private readonly List<(int Source, PredictionLogEntry Entry)> _taken = [];

        public LogSample(Guid partitionId, IReadOnlyList<ScoringGroup> groups, double rate, int max)
        {
            _sourceRows = groups.SelectMany(g => g.Rows).ToArray();
            // A pooled version reads the use case's columns; the tenant's rows are read through its own version's rules.
            _readsFor = groups.ToDictionary(g => g.VersionId, g => g.MappingId ?? g.VersionId);
            _stride = rate <= 0 ? int.MaxValue : (int)Math.Max(1, Math.Round(1 / rate));
            _offset = _stride == int.MaxValue ? 0 : (int)((uint)partitionId.GetHashCode() % (uint)_stride);
            _max = rate <= 0 ? 0 : max;
        }

        public void Take(PredictionChunk chunk)
        {
            var first = chunk.FirstRow + ((_offset - chunk.FirstRow) % _stride + _stride) % _stride;
            for (var n = first; n < chunk.FirstRow + chunk.Count && _taken.Count < _max; n += _stride)
            {
                var i = n - chunk.FirstRow;
                _taken.Add((_sourceRows[n], new PredictionLogEntry
                {
                    EnrollmentId = default, Source = PredictionSources.Batch, At = chunk.AsOf[i], EntityKey = chunk.EntityKeys[i],
                    ModelVersionId = chunk.ModelVersionIds[i], Score = chunk.Scores[i], Label = chunk.Labels[i], Inputs = "",
                }));
            }
        }

        public async Task SaveAsync(IDbContextFactory<ControlPlaneDbContext> dbs, ModelCache cache, ScoringInput input, CancellationToken ct)
        {
            if (_taken.Count == 0)
            {
                return;
            }

            var columnsOf = new Dictionary<Guid, HashSet<string>>();
            foreach (var version in _taken.Select(t => t.Entry.ModelVersionId).Distinct())
            {
                columnsOf[version] = (await cache.ModelAsync(_readsFor[version], ct)).RequiredColumns.ToHashSet(StringComparer.Ordinal);
            }

            foreach (var (source, entry) in _taken)
            {
                entry.EnrollmentId = input.EnrollmentId;
                entry.Inputs = RowJson.Of(input.Data, source, columnsOf[entry.ModelVersionId]);
            }

            await using var db = await dbs.CreateDbContextAsync(ct);
            db.PredictionLog.AddRange(_taken.Select(t => t.Entry));
            await db.SaveChangesAsync(ct);
        }
    }
}

/// <summary>Picks the model version of each backfilled row: the fixed one, or the champion at the row's time.</summary>
internal sealed class VersionChooser
{
    private readonly Guid? _fixed;
    private readonly (DateTime At, Guid Version)[] _moves;
    private readonly IReadOnlyDictionary<Guid, Guid> _mappings;

    private VersionChooser(Guid? fixedVersion, (DateTime, Guid)[] moves, IReadOnlyDictionary<Guid, Guid> mappings)
    {
        _fixed = fixedVersion;
        _moves = moves;
        _mappings = mappings;
    }

    public static string NoMapping(string tenant, string useCase) =>
        $"'{tenant}' is served by a pooled '{useCase}' model, and has no own model version whose fitted rules map its rows onto it: retrain the enrollment first.";

    public static async Task<VersionChooser> CreateAsync(IDbContextFactory<ControlPlaneDbContext> dbs, Guid enrollmentId, Guid? fixedVersion, CancellationToken ct)
    {
        if (fixedVersion is not null)
        {
            return new VersionChooser(fixedVersion, [], new Dictionary<Guid, Guid>());
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var moves = await db.AliasChanges.AsNoTracking().Where(c => c.EnrollmentId == enrollmentId && c.Alias == AliasNames.Champion)
            .OrderBy(c => c.Sequence).Select(c => new { c.At, c.ToVersionId, c.ToVersion!.Kind }).ToListAsync(ct);
        // A pooled champion scores through the tenant's own version that maps rows onto it (as real-time serving does).
        var mappings = new Dictionary<Guid, Guid>();
        foreach (var pooled in moves.Where(m => m.Kind == ModelVersionKinds.Pooled).Select(m => m.ToVersionId).Distinct())
        {
            if (await ChampionDirectory.MappingAsync(db, enrollmentId, pooled, ct) is { } mapping) mappings[pooled] = mapping.Id;
        }

        return new VersionChooser(null, moves.Select(m => (m.At, m.ToVersionId)).ToArray(), mappings);
    }

    /// <summary>The rows by version, in row order within each; rows before the first champion are skipped.</summary>
    public (IReadOnlyList<ScoringGroup> Groups, long Skipped) Group(IReadOnlyList<int> rows, Func<int, DateTime> timeOf)
    {
        if (_fixed is { } version)
        {
            return (rows.Count == 0 ? [] : [new ScoringGroup(version, rows.ToArray())], 0);
        }

        var groups = new Dictionary<Guid, List<int>>();
        long skipped = 0;
        foreach (var row in rows)
        {
            var time = timeOf(row);
            var live = -1;
            for (var m = 0; m < _moves.Length && _moves[m].At <= time; m++) live = m;
            if (live < 0)
            {
                skipped++;
                continue;
            }

            (groups.TryGetValue(_moves[live].Version, out var list) ? list : groups[_moves[live].Version] = []).Add(row);
        }

        return (groups.Select(g => new ScoringGroup(g.Key, g.Value.ToArray(), _mappings.TryGetValue(g.Key, out var m) ? m : null)).ToArray(), skipped);
    }

    public string SkipReason(long skipped) => _moves.Length == 0
        ? $"{skipped:N0} rows not scored: the enrollment has never had a champion."
        : $"{skipped:N0} rows not scored: no version was champion before {_moves[0].At:yyyy-MM-dd HH:mm} UTC.";
}

/// <summary>One raw row as a JSON object of the named columns.</summary>
internal static class RowJson
{
    public static string Of(RawTable table, int row, IReadOnlySet<string> columns)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var column in table.Columns.Where(c => columns.Contains(c.Name)))
            {
                json.WritePropertyName(column.Name);
                switch (column.Values.GetValue(row))
                {
                    case null: json.WriteNullValue(); break;
                    case double d: json.WriteNumberValue(d); break;
                    case bool b: json.WriteBooleanValue(b); break;
                    case DateTime t: json.WriteStringValue(t); break;
                    case var other: json.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture)); break;
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
