using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Storage;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// Reads what a drift check compares. Batch: the rows of the dataset versions behind the enrollment's done prediction
/// partitions, by the day of their predictions' as-of (event) time, with the stored scores; where several partitions
/// scored the same day, the one completed last counts. Realtime: the prediction log's real-time entries by the day they
/// were made, their inputs read back into columns. Rows are streamed, and a day with more than
/// <see cref="MonitoringOptions.MaxRowsPerDay"/> rows is kept as a uniform sample of that many (<see cref="BottomKSample{T}"/>).
/// </summary>
public sealed class DriftSamples(
    IDbContextFactory<ControlPlaneDbContext> dbs, RegionCatalog regions, FeatureRuleService rules, ModelCache cache, IOptions<ControlPlaneOptions> options)
{
    private int Cap => options.Value.Monitoring.MaxRowsPerDay;

    /// <summary>
    /// The batch-scored rows of the checked days (from <paramref name="loadFrom"/> when given, else the whole range), with
    /// the dataset rows they scored.
    /// </summary>
    public Task<DriftSample> BatchAsync(DriftTarget target, int maxWindowDays, DateTime? loadFrom, CancellationToken ct) =>
        BatchAsync(target, newest => Later(DriftWindowPlan.FirstDay(newest, maxWindowDays), loadFrom), null, ct);

    /// <summary>The batch-scored rows whose as-of time falls in [<paramref name="from"/>, <paramref name="until"/>), however old.</summary>
    public Task<DriftSample> BatchRangeAsync(DriftTarget target, DateTime from, DateTime until, CancellationToken ct) =>
        BatchAsync(target, _ => from, until, ct);

    private async Task<DriftSample> BatchAsync(DriftTarget target, Func<DateTime, DateTime> firstOf, DateTime? until, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var partitions = await db.PredictionPartitions.AsNoTracking()
            .Where(p => p.EnrollmentId == target.EnrollmentId && p.State == PartitionStates.Done)
            .Select(p => new { p.Id, p.DatasetVersionId, Completed = p.CompletedAt ?? p.CreatedAt }).ToListAsync(ct);
        var ids = partitions.Select(p => p.Id).ToList();
        var newest = ids.Count == 0 ? null
            : await db.Predictions.Where(p => ids.Contains(p.PartitionId)).MaxAsync(p => (DateTime?)p.AsOf, ct);
        if (newest is null)
        {
            return DriftSample.Empty($"'{target.Tenant}' / '{target.UseCase}' has no batch predictions yet: run a batch score or a backfill first.");
        }

        var first = firstOf(newest.Value);
        var predictions = db.Predictions.AsNoTracking().Where(p => ids.Contains(p.PartitionId) && p.AsOf >= first);
        if (until is { } end)
        {
            predictions = predictions.Where(p => p.AsOf < end);
        }

        var scored = new Dictionary<(DateTime Day, Guid Partition), BottomKSample<(Guid Version, double Score, string? Label)>>();
        await foreach (var p in predictions
            .Select(p => new { p.PartitionId, p.Row, p.AsOf, p.ModelVersionId, p.Score, p.Label }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = (Day(p.AsOf), p.PartitionId);
            (scored.TryGetValue(key, out var sample) ? sample : scored[key] = new(Cap))
                .Add((p.ModelVersionId, p.Score, p.Label), BottomKSample.Key(p.PartitionId, p.Row));
        }

        if (scored.Count == 0)
        {
            return DriftSample.Empty($"'{target.Tenant}' / '{target.UseCase}' has no batch predictions in the days read.");
        }

        // Per day the partition completed last among those with predictions that day.
        var order = partitions.OrderByDescending(p => p.Completed).Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var chosen = scored.Keys.GroupBy(k => k.Day).ToDictionary(g => g.Key, g => g.MinBy(k => order[k.Partition]).Partition);
        var datasetOf = partitions.ToDictionary(p => p.Id, p => p.DatasetVersionId);
        var datasetIds = chosen.Values.Select(p => datasetOf[p]).Distinct().ToList();

        var eventTime = (await rules.GetAsync(target.Tenant, target.UseCase, ct: ct)).Value?.Effective.EventTime;
        var datasets = await db.DatasetVersions.AsNoTracking().Where(v => datasetIds.Contains(v.Id))
            .Select(v => new { v.Id, v.SnapshotPath, v.CreatedAt, v.Number }).ToListAsync(ct);
        var store = regions.StoreFor(target.Region);
        var tables = new List<(Guid Id, RawTable Table, DateTime Created, int Number)>();
        foreach (var dataset in datasets.OrderByDescending(d => d.Number))
        {
            tables.Add((dataset.Id, await SnapshotReader.ReadAsync(store, dataset.SnapshotPath, maxRows: null, ct), dataset.CreatedAt, dataset.Number));
        }

        string? note = null;
        if (tables.Skip(1).Any(t => !t.Table.Schema.SequenceEqual(tables[0].Table.Schema)))
        {
            note = $"Dataset versions with other columns than version {tables[0].Number} were left out.";
            tables = [tables[0]];
        }

        var table = tables.Count == 1 ? tables[0].Table : RawTableRows.Concat(tables.Select(t => t.Table).ToArray());
        var rowsByDay = new Dictionary<(Guid Dataset, DateTime Day), List<int>>();
        var offset = 0;
        foreach (var (id, data, created, _) in tables)
        {
            var times = eventTime is null ? null
                : data.Columns.FirstOrDefault(c => c.Name == eventTime && c.Type == FeatureType.DateTime)?.Values as DateTime?[];
            for (var r = 0; r < data.RowCount; r++)
            {
                var key = (id, Day(times?[r] ?? created));
                (rowsByDay.TryGetValue(key, out var list) ? list : rowsByDay[key] = []).Add(offset + r);
            }

            offset += data.RowCount;
        }

        var kept = tables.Select(t => t.Id).ToHashSet();
        var days = new Dictionary<DateTime, DriftDay>();
        foreach (var (day, partition) in chosen.Where(c => kept.Contains(datasetOf[c.Value])))
        {
            var dataset = datasetOf[partition];
            var rows = new BottomKSample<int>(Cap);
            foreach (var row in rowsByDay.GetValueOrDefault((dataset, day)) ?? [])
            {
                rows.Add(row, BottomKSample.Key(dataset, row));
            }

            var drift = days[day] = new DriftDay { Seen = rows.Seen };
            drift.Rows.AddRange(rows.Items());
            foreach (var (version, score, label) in scored[(day, partition)].Items())
            {
                drift.Scored(version, score, label);
            }
        }

        var result = new DriftSample(table, days, newest, Join(note, SampledNote(days.Values)));
        Release(scored, rowsByDay, tables);
        return result;
    }

    /// <summary>The logged real-time rows of the checked days (from <paramref name="loadFrom"/> when given, else the whole range).</summary>
    public Task<DriftSample> RealtimeAsync(DriftTarget target, int maxWindowDays, DateTime? loadFrom, CancellationToken ct) =>
        RealtimeAsync(target, newest => Later(DriftWindowPlan.FirstDay(newest, maxWindowDays), loadFrom), null, ct);

    /// <summary>The logged real-time rows made in [<paramref name="from"/>, <paramref name="until"/>), however old.</summary>
    public Task<DriftSample> RealtimeRangeAsync(DriftTarget target, DateTime from, DateTime until, CancellationToken ct) =>
        RealtimeAsync(target, _ => from, until, ct);

    private async Task<DriftSample> RealtimeAsync(DriftTarget target, Func<DateTime, DateTime> firstOf, DateTime? until, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var log = db.PredictionLog.AsNoTracking().Where(e => e.EnrollmentId == target.EnrollmentId && e.Source == PredictionSources.RealTime);
        var newest = await log.MaxAsync(e => (DateTime?)e.At, ct);
        if (newest is null)
        {
            return DriftSample.Empty($"'{target.Tenant}' / '{target.UseCase}' has no logged real-time predictions yet.");
        }

        var first = firstOf(newest.Value);
        var range = log.Where(e => e.At >= first);
        if (until is { } end)
        {
            range = range.Where(e => e.At < end);
        }

        var perDay = new Dictionary<DateTime, BottomKSample<LoggedRow>>();
        await foreach (var e in range
            .Select(e => new LoggedRow(e.Id, e.At, e.ModelVersionId, e.Score, e.Label, e.Inputs)).AsAsyncEnumerable().WithCancellation(ct))
        {
            var day = Day(e.At);
            (perDay.TryGetValue(day, out var sample) ? sample : perDay[day] = new(Cap)).Add(e, (ulong)e.Id);
        }

        var entries = perDay.Values.SelectMany(d => d.Items()).OrderBy(e => e.Id).ToList();

        // The columns of every version that answered (the first version naming a column gives its type).
        var columns = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        foreach (var version in entries.Select(e => e.ModelVersionId).Distinct())
        {
            try
            {
                foreach (var column in (await cache.ModelAsync(version, ct)).InputColumns)
                {
                    columns.TryAdd(column.Name, column.Type);
                }
            }
            catch (ModelUnavailableException)
            {
                // A deleted or unreadable version: its rows are read with the other versions' columns.
            }
        }

        var table = LoggedInputs.Read(entries.Select(e => e.Inputs).ToList(), columns.Select(c => new RawColumn(c.Key, c.Value)).ToList());
        var days = new Dictionary<DateTime, DriftDay>();
        for (var i = 0; i < entries.Count; i++)
        {
            var day = Day(entries[i].At);
            if (!days.TryGetValue(day, out var drift))
            {
                days[day] = drift = new DriftDay { Seen = perDay[day].Seen };
            }

            drift.Rows.Add(i);
            drift.Scored(entries[i].ModelVersionId, entries[i].Score, entries[i].Label);
        }

        var result = new DriftSample(table, days, newest, SampledNote(days.Values));
        Release(entries, perDay);
        return result;
    }

    private string? SampledNote(IEnumerable<DriftDay> days)
    {
        var sampled = days.Where(d => d.Seen > d.Rows.Count).ToList();
        return sampled.Count == 0 ? null
            : $"{sampled.Count} day(s) with more than {Cap:N0} rows (up to {sampled.Max(d => d.Seen):N0}) were compared on a uniform sample of {Cap:N0} rows each.";
    }

    /// <summary>
    /// Empties the large working collections before an async read returns. Its locals live in its state machine, which
    /// can outlive the call: measured on PostgreSQL (whose reads complete asynchronously), the finished read kept every
    /// row it had streamed alive — 731 MB held for 1,000,000 logged rows instead of 283 MB (docs/benchmarks.md, drift-read).
    /// </summary>
    private static void Release(params object[] collections)
    {
        foreach (var collection in collections)
        {
            (collection as System.Collections.IList)?.Clear();
            (collection as System.Collections.IDictionary)?.Clear();
        }
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : $"{a} {b}";

    private sealed record LoggedRow(long Id, DateTime At, Guid ModelVersionId, double Score, string? Label, string Inputs);

    private static DateTime Day(DateTime at) => DateTime.SpecifyKind(at.Date, DateTimeKind.Utc);

    private static DateTime Later(DateTime first, DateTime? from) => from is { } f && f > first ? f : first;
}

/// <summary>The enrollment a drift check is about.</summary>
public sealed record DriftTarget(Guid EnrollmentId, string Tenant, string UseCase, Guid UseCaseId, string Region, TaskType Task);
