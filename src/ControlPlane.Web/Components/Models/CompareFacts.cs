using System.Globalization;
using ControlPlane.ML.Training;

namespace ControlPlane.Web.Components.Models;

/// <summary>The rows of the comparison's diff tables: how each version was trained, and on which data.</summary>
public static class CompareFacts
{
    public static IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Training(IReadOnlyList<LoadedVersion> versions)
    {
        var keys = versions.SelectMany(v => v.Details.Hyperparameters.Keys).Distinct().Order(StringComparer.Ordinal);
        var rows = new List<(string, IReadOnlyList<string>)>
        {
            ("trainer", Each(versions, v => v.Details.Summary.Trainer)),
            ("seed", Each(versions, v => v.Details.Seed.ToString(CultureInfo.InvariantCulture))),
        };
        rows.AddRange(keys.Select(k => (k, Each(versions, v => v.Details.Hyperparameters.TryGetValue(k, out var value) ? value : "—"))));
        rows.Add(("prediction fingerprint", Each(versions, v => DatasetFacts.ShortHash(v.Details.PredictionFingerprint))));
        rows.Add(("ML.NET", Each(versions, v => v.Details.LibraryVersion)));
        rows.Add(("code", Each(versions, v => v.Details.CodeVersion)));
        return rows;
    }

    public static IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Data(IReadOnlyList<LoadedVersion> versions) =>
    [
        ("dataset version", Each(versions, v => v.Details.Summary.DatasetVersionNumber is { } n ? $"v{n}" : "pooled")),
        ("rows", Each(versions, v => v.Dataset?.RowCount.ToString("N0", CultureInfo.InvariantCulture) ?? "—")),
        ("time range", Each(versions, v => v.Dataset is { } d ? DatasetFacts.TimeRange(d) ?? "none" : "—")),
        ("hash", Each(versions, v => DatasetFacts.ShortHash(v.Details.DatasetSha256))),
        ("rules version", Each(versions, v => v.Details.Summary.RulesVersionNumber is { } n ? $"v{n}" : "—")),
        ("train / test rows", Each(versions, v => $"{v.Details.Report.Split.TrainRows:N0} / {v.Details.Report.Split.TestRows:N0}")),
        ("split", Each(versions, v => Split(v.Details.Report.Split))),
    ];

    private static string Split(SplitSummary s) =>
        s.ByTime ? $"by time, test ≥ {s.TestFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "random";

    private static IReadOnlyList<string> Each(IReadOnlyList<LoadedVersion> versions, Func<LoadedVersion, string> read) => versions.Select(read).ToList();
}
