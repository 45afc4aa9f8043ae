namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// One window to check: the day it ends on, the first day it includes, its rows (sampled on days over the cap), the
/// version whose baselines it is compared with, and how many rows its days had before sampling.
/// </summary>
public sealed record PlannedWindow(DateTime Day, DateTime Start, int[] Rows, double[] Scores, string?[] Labels, Guid VersionId, int Seen);

/// <summary>
/// Daily windows over a <see cref="DriftSample"/>: each day with scored rows in the last <see cref="Days"/> days up to the
/// newest; a day with fewer than the minimum rows is widened back over earlier days until it has them, up to the
/// policy's maximum window length. The baseline is the version that scored most of the window's rows.
/// </summary>
public static class DriftWindowPlan
{
    /// <summary>How many days back from the newest scored day are checked.</summary>
    public const int Days = 90;

    public static DateTime FirstDay(DateTime newest, int maxWindowDays) => newest.Date.AddDays(-(Days - 1) - (maxWindowDays - 1));

    /// <summary>The windows of the last <see cref="Days"/> days; of those in <paramref name="only"/> when given.</summary>
    public static IReadOnlyList<PlannedWindow> Plan(DriftSample sample, int minRows, int maxWindowDays, IReadOnlySet<DateTime>? only = null)
    {
        if (sample.Newest is not { } newest)
        {
            return [];
        }

        var last = DateTime.SpecifyKind(newest.Date, DateTimeKind.Utc);
        var windows = new List<PlannedWindow>();
        for (var day = last.AddDays(-(Days - 1)); day <= last; day = day.AddDays(1))
        {
            if (only?.Contains(day) == false || !sample.Days.TryGetValue(day, out var today) || today.Rows.Count == 0)
            {
                continue;
            }

            var included = new List<DriftDay> { today };
            var start = day;
            var rows = today.Rows.Count;
            for (var back = 1; rows < minRows && back < maxWindowDays; back++)
            {
                var earlier = day.AddDays(-back);
                if (sample.Days.TryGetValue(earlier, out var more))
                {
                    included.Add(more);
                    rows += more.Rows.Count;
                }

                start = earlier;
            }

            var versions = new Dictionary<Guid, int>();
            foreach (var (id, count) in included.SelectMany(d => d.Versions))
            {
                versions[id] = versions.GetValueOrDefault(id) + count;
            }

            var version = versions.OrderByDescending(v => v.Value).ThenBy(v => v.Key).First().Key;
            windows.Add(new PlannedWindow(day, start, [.. included.SelectMany(d => d.Rows)], [.. included.SelectMany(d => d.Scores)],
                [.. included.SelectMany(d => d.Labels)], version, included.Sum(d => d.Seen)));
        }

        return windows;
    }
}
