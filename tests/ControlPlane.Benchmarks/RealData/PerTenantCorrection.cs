using System.Globalization;
using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.Benchmarks.RealData;

/// <summary>One tenant: the pooled path's test metric with and without a per-tenant correction, paired.</summary>
internal sealed record CorrectionOutcome(TaskType Task, bool ServedByPool, PairedDifference Difference);

/// <summary>
/// Would a per-tenant correction on top of the pooled model help? Measured optimistically: the correction is fitted on
/// half of the tenant's own test rows (every other row, so both halves cover the same period) and judged on the other
/// half, then the halves swap (cross-fitting: no row is judged by a correction fitted on it). A correction the product
/// could make would be fitted on older validation rows, so it can do no better than this. Regression: a linear
/// correction y = a + b·pooled (an offset and a scale per tenant); judged by RMSE. Binary: a per-tenant Platt
/// calibration (logistic on the pooled log-odds); it is monotone, so it leaves each tenant's AUC unchanged, and it is
/// judged by log-loss.
/// </summary>
internal static class PerTenantCorrection
{
    public static CorrectionOutcome? Measure(TaskType task, bool servedByPool, double[] labels, double[] pooled, int seed)
    {
        if (task is not (TaskType.Binary or TaskType.Regression) || labels.Length < 20)
        {
            return null;
        }

        var corrected = new double[labels.Length];
        for (var half = 0; half < 2; half++)
        {
            var fit = Enumerable.Range(0, labels.Length).Where(i => i % 2 != half).ToArray();
            var apply = Enumerable.Range(0, labels.Length).Where(i => i % 2 == half).ToArray();
            if (task == TaskType.Regression)
            {
                var (a, b) = Linear(fit.Select(i => pooled[i]).ToArray(), fit.Select(i => labels[i]).ToArray());
                foreach (var i in apply) corrected[i] = a + (b * pooled[i]);
            }
            else
            {
                var (a, b) = Platt(fit.Select(i => Logit(pooled[i])).ToArray(), fit.Select(i => labels[i]).ToArray());
                foreach (var i in apply) corrected[i] = 1 / (1 + Math.Exp(-(a + (b * Logit(pooled[i])))));
            }
        }

        var metric = task == TaskType.Regression ? RowMetrics.Rmse : RowMetrics.LogLoss;
        var difference = Bootstrap.Paired(new ScoredRows(task, labels, corrected), new ScoredRows(task, labels, pooled), metric, seed);
        return difference.Verdict == ComparisonVerdict.Unmeasured ? null : new CorrectionOutcome(task, servedByPool, difference);
    }

    public static string Note(IReadOnlyList<CorrectionOutcome> outcomes)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        foreach (var group in outcomes.GroupBy(o => (o.Task, o.ServedByPool)).OrderBy(g => g.Key.Task).ThenBy(g => g.Key.ServedByPool))
        {
            var list = group.ToList();
            var better = list.Count(o => o.Difference.Verdict == ComparisonVerdict.Better);
            var worse = list.Count(o => o.Difference.Verdict == ComparisonVerdict.Worse);
            var ratio = list.Average(o => o.Difference.A / o.Difference.B);
            var who = group.Key.ServedByPool ? "served by the pool" : "served by their own models (which beat the pool)";
            parts.Add(group.Key.Task == TaskType.Regression
                ? string.Create(c, $"regression, {list.Count} tenants {who}: a per-tenant linear correction gives mean RMSE ratio corrected / uncorrected **{ratio:0.000}**; better beyond noise on {better}, worse beyond noise on {worse}")
                : string.Create(c, $"binary, {list.Count} tenants {who}: a per-tenant Platt calibration leaves every tenant's AUC as it is (a monotone map) and gives mean log-loss ratio **{ratio:0.000}**; better beyond noise on {better}, worse beyond noise on {worse}"));
        }

        return parts.Count == 0
            ? "**Per-tenant correction on the pooled model:** no tenant had a pooled model to correct."
            : "**Per-tenant correction on the pooled model** (cross-fitted on halves of each tenant's own test rows, an optimistic bound on what a correction fitted on older validation rows could do): "
              + string.Join("; ", parts) + ".";
    }

    private static double Logit(double p)
    {
        var q = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(q / (1 - q));
    }

    /// <summary>Least squares y = a + b·x (b = 1, a = mean residual when x does not vary).</summary>
    private static (double A, double B) Linear(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxx = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }

        var b = sxx > 1e-12 ? sxy / sxx : 1;
        return (my - (b * mx), b);
    }

    /// <summary>Logistic regression of y on x by Newton's method with a small ridge (one class, or separable rows, stay finite).</summary>
    private static (double A, double B) Platt(double[] x, double[] y)
    {
        double a = 0, b = 1;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = -0.01 * (b - 1), haa = 0.01, hab = 0, hbb = 0.01;
            for (var i = 0; i < x.Length; i++)
            {
                var p = 1 / (1 + Math.Exp(-(a + (b * x[i]))));
                var w = p * (1 - p);
                ga += y[i] - p;
                gb += (y[i] - p) * x[i];
                haa += w;
                hab += w * x[i];
                hbb += w * x[i] * x[i];
            }

            ga -= 0.01 * a;
            var det = (haa * hbb) - (hab * hab);
            if (det <= 1e-12)
            {
                break;
            }

            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9)
            {
                break;
            }
        }

        return (a, b);
    }
}
