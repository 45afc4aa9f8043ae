using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Benchmarks;

/// <summary>
/// One wrk run's figures: requests a second and latency percentiles (ms) as wrk's own histogram reports them; the cores the
/// server used, and the cores the rest of the machine used meanwhile (wrk, and anything else running).
/// </summary>
public sealed record WrkResult(
    long Requests, double Seconds, long Errors, long StatusErrors, double MeanMs, double P50Ms, double P90Ms, double P95Ms, double P99Ms,
    double P999Ms, double MaxMs, double ServerCores, double OtherCores)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>Server CPU per request, in microseconds: what a request costs the server whether or not the client kept it busy.</summary>
    public double ServerMicrosecondsPerRequest => ServerCores * 1e6 / RequestsPerSecond;
}

/// <summary>
/// Debian's <c>wrk</c> as the load generator: a separate process, so the server's figures do not include the client's
/// allocations or thread pool. Installed with apt-get when missing, as tests/run.sh installs its dependencies.
/// </summary>
public static class Wrk
{
    public static async Task<string> EnsureInstalledAsync()
    {
        if (await TryRunAsync("wrk", "--version") is not { } version)
        {
            Console.WriteLine("  wrk is missing: apt-get install wrk");
            if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("wrk is not installed and this is not root: apt-get install wrk first.");
            }

            await RunOrThrowAsync("apt-get", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", "update");
            await RunOrThrowAsync("apt-get", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", "install", "--no-install-recommends", "wrk");
            version = await TryRunAsync("wrk", "--version") ?? throw new InvalidOperationException("wrk is still missing after apt-get install wrk.");
        }

        return version.Split('\n')[0].Trim();
    }

    /// <summary>
    /// One run: <paramref name="connections"/> connections on one wrk thread for <paramref name="seconds"/> s against
    /// <paramref name="url"/>; with <paramref name="requestFile"/> the script's per-tenant POSTs, and with a
    /// <paramref name="meanDelayMs"/> each connection paced by that mean pause. <paramref name="serverCpu"/> reads the
    /// server's CPU seconds, to report the cores it used.
    /// </summary>
    public static async Task<WrkResult> RunAsync(
        string script, string url, int connections, int seconds, string? requestFile, int meanDelayMs, Func<double> serverCpu)
    {
        var start = new ProcessStartInfo("wrk")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s", "--latency", "-s", script, url })
        {
            start.ArgumentList.Add(a);
        }

        if (requestFile is not null)
        {
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(requestFile);
        }

        start.Environment["WRK_DELAY_MS"] = meanDelayMs.ToString(CultureInfo.InvariantCulture);
        var serverBefore = serverCpu();
        var machineBefore = MachineBusySeconds();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var serverUsed = serverCpu() - serverBefore;
        var othersUsed = Math.Max(0, MachineBusySeconds() - machineBefore - serverUsed);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{await stderr}");
        }

        var values = output.Split('\n').Where(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[1], f => double.Parse(f[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        double Ms(string name) => values[name] / 1000.0;
        var duration = values["duration_us"] / 1e6;
        var errors = (long)(values["errors_connect"] + values["errors_read"] + values["errors_write"] + values["errors_timeout"]);
        return new WrkResult((long)values["requests"], duration, errors, (long)values["errors_status"], Ms("mean_us"), Ms("p50_us"), Ms("p90_us"),
            Ms("p95_us"), Ms("p99_us"), Ms("p99.9_us"), Ms("max_us"), serverUsed / duration, othersUsed / duration);
    }

    /// <summary>Busy CPU seconds of all cores since boot (/proc/stat less idle and iowait, in USER_HZ).</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
    }

    private static async Task<string?> TryRunAsync(string file, params string[] args)
    {
        try
        {
            var (code, output) = await RunAsync(file, args);
            return code is 0 or 1 ? output : null; // wrk --version prints its usage and exits 1
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task RunOrThrowAsync(string file, params string[] args)
    {
        var (code, output) = await RunAsync(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
