using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Real-time serving over HTTP (issue 6): the web app as its own process on the embedded default with 1,000 tenants,
/// each served by its own champion, loaded with wrk from another process. Throughput of single-row predicts over all
/// the models against a trivial endpoint of the same server, p99 at about half the predict maximum, and the cold load
/// of an evicted model.
/// </summary>
public sealed class ServingHttpScenario : IScenario
{
    private const int Connections = 64;
    private const int PacedConnections = 32;
    private const int Templates = 8;
    private const int TemplateRows = 1000;
    private const int ColdSamples = 200;
    private const int Pairs = 3;

    public string Name => "serving-http";
    public string Title => "Serving over HTTP: predict throughput against a trivial endpoint, p99 at half load, cold load";

    public string Description =>
        "The web app runs as its own process (`dotnet ControlPlane.Web.dll`, Release build, Production environment, server GC as it ships) on a " +
        "loopback port, on the embedded default (SQLite and local region stores in one data directory), with 1,000 tenants enrolled in lead-scoring. " +
        $"Each tenant was created through `TenantService` (its API key is the one the create returns), uploaded and ingested a dataset, saved demo " +
        $"rules and registered its own model version — its own version row and artifact file — and promoted it to champion. The models are copies " +
        $"of {Templates} real ML.NET models trained on generated demo data ({TemplateRows:N0} rows each; logistic regression and FastTree in turn, " +
        "ML.NET defaults), so a tenant's rows are in its template's column names. `ControlPlane:Serving` gives the cache room for every model " +
        "(`CacheMemoryMegabytes` 8192) and lifts the per-tenant rate limit out of the way (`RequestsPerSecondPerTenant` and `BurstPerTenant` " +
        "1,000,000; the limiter still runs). A pass of one request per tenant loads all 1,000 models before anything is measured. " +
        "Load comes from Debian's `wrk` (one thread, a separate process on the same two cores) with a Lua script that sends each request to the " +
        "next tenant in turn: its path, its `X-Api-Key` and one row of its data (the columns its model reads and the entity key). " +
        $"The floor is the same server's `GET /health/live` (anonymous, no I/O, a constant 17-byte JSON body, through the same middleware) at " +
        $"its maximum with the same {Connections} connections; predict at its maximum is compared with it in requests per second, in {Pairs} " +
        "pairs of runs (trivial, then predict, back to back) of which the pair with the median ratio is the figure. p99 at half " +
        $"load: {PacedConnections} connections, each pausing a random 0–2× mean delay before each request (wrk's Lua `delay()`), the mean chosen " +
        "so the rate is about half the predict maximum. Cold load: the server restarted with a 16 MB cache (room for a few dozen models); " +
        $"{ColdSamples} tenants are predicted once (their models load and are evicted again), then each in turn, from the benchmark process " +
        "one request at a time: the first request (its model evicted) is the cold figure, a second request to the same tenant right after it the warm floor.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var count = int.Parse(settings.Option("--tenants") ?? "1000", CultureInfo.InvariantCulture);
        var seconds = int.Parse(settings.Option("--seconds") ?? "15", CultureInfo.InvariantCulture);
        var wrkVersion = await Wrk.EnsureInstalledAsync();
        var data = Path.Combine(settings.WorkFolder, "serving-http");
        Directory.CreateDirectory(data);
        var script = Path.Combine(AppContext.BaseDirectory, "Scenarios", "serving-http.lua");

        var seeding = Stopwatch.StartNew();
        IReadOnlyList<ServedTenant> tenants;
        await using (var core = await CoreHost.CreateAsync("Sqlite", $"Data Source={Path.Combine(data, "controlplane.db")};Pooling=True", data))
        {
            tenants = await ServingFleetSeeder.SeedAsync(core.Services, count, Templates, TemplateRows, ct);
        }

        var seedingSeconds = seeding.Elapsed.TotalSeconds;
        Console.WriteLine($"  seeded {tenants.Count} tenants in {seedingSeconds:0} s");
        var requestFile = Path.Combine(settings.WorkFolder, "serving-http-requests.tsv");
        await File.WriteAllLinesAsync(requestFile, tenants.Select((t, i) => $"{PredictPath(t)}\t{t.ApiKey}\t{Body(t, i)}"), ct);

        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var machine = Machine();
        var load = LoadAverage();

        WrkResult trivial, predict, half;
        var pairs = new List<(WrkResult Trivial, WrkResult Predict)>();
        double warmPassSeconds, residentMb;
        Timing secondPass;
        await using (var node = await WebNode.StartAsync(NodeSettings(data, cacheMegabytes: 8192)))
        {
            Console.WriteLine($"  web app pid {node.ProcessId} at {node.Address}");
            var watch = Stopwatch.StartNew();
            await PassAsync(node, tenants, ct);
            warmPassSeconds = watch.Elapsed.TotalSeconds;
            secondPass = await TimedPassAsync(node, tenants, ct);
            residentMb = node.ResidentMegabytes();
            Console.WriteLine($"  warm pass {warmPassSeconds:0.0} s; second pass median {secondPass.MedianMs:0.00} ms p95 {secondPass.P95Ms:0.00} ms; RSS {residentMb:0} MiB");

            var root = node.Address.ToString().TrimEnd('/');
            // JIT warm-up (tiered compilation settles in about ten seconds under load) and connections.
            await Wrk.RunAsync(script, root + "/health/live", Connections, 10, null, 0, node.CpuSeconds);
            await Wrk.RunAsync(script, root, Connections, 10, requestFile, 0, node.CpuSeconds);
            // Pairs of runs, trivial then predict, each pair back to back: a shared machine's slow moments hit both runs of
            // a pair, and the pair with the median ratio is the figure (all pairs are reported).
            for (var p = 0; p < Pairs; p++)
            {
                var t = await Wrk.RunAsync(script, root + "/health/live", Connections, seconds, null, 0, node.CpuSeconds);
                Report($"trivial {p + 1}", t);
                var q = await Wrk.RunAsync(script, root, Connections, seconds, requestFile, 0, node.CpuSeconds);
                Report($"predict {p + 1}", q);
                pairs.Add((t, q));
            }

            (trivial, predict) = pairs.OrderBy(x => x.Predict.RequestsPerSecond / x.Trivial.RequestsPerSecond).ElementAt(Pairs / 2);
            half = await HalfLoadAsync(script, root, requestFile, predict.RequestsPerSecond / 2, seconds, node);
            Report("predict at half", half);
            if (Environment.GetEnvironmentVariable("CONTROLPLANE_BENCH_PAUSE") is { } pause)
            {
                Console.WriteLine($"  pausing {pause} s for a profiler on pid {node.ProcessId}");
                await Task.Delay(TimeSpan.FromSeconds(int.Parse(pause, CultureInfo.InvariantCulture)), ct);
            }
        }

        (Timing Cold, Timing Warm) cold;
        await using (var node = await WebNode.StartAsync(NodeSettings(data, cacheMegabytes: 16)))
        {
            cold = await ColdAsync(node, tenants.Take(Math.Min(ColdSamples, tenants.Count)).ToList(), ct);
            Console.WriteLine($"  cold median {cold.Cold.MedianMs:0.00} ms p95 {cold.Cold.P95Ms:0.00} ms; warm median {cold.Warm.MedianMs:0.00} ms");
        }

        foreach (var (r, what) in new[] { (predict, "predict"), (half, "predict at half load") })
        {
            if (r.Errors > 0 || r.StatusErrors > 0)
            {
                throw new InvalidOperationException($"{what}: {r.Errors} socket errors and {r.StatusErrors} non-2xx answers.");
            }
        }

        var c = CultureInfo.InvariantCulture;
        var ratio = predict.RequestsPerSecond / trivial.RequestsPerSecond;
        floors.Add(new Measurement(string.Create(c, $"GET /health/live at its maximum: {trivial.RequestsPerSecond:N0} requests/s ({Connections} connections) — latency"),
            "Sqlite", new Timing(trivial.P50Ms, trivial.P95Ms, (int)trivial.Requests), 1.0));
        results.Add(new Measurement(string.Create(c, $"predict, 1 row, 1,000 models, at its maximum: {predict.RequestsPerSecond:N0} requests/s — × floor = trivial rps / predict rps"),
            "Sqlite", new Timing(predict.P50Ms, predict.P95Ms, (int)predict.Requests), trivial.RequestsPerSecond / predict.RequestsPerSecond));
        results.Add(new Measurement(string.Create(c, $"predict at half load: {half.RequestsPerSecond:N0} requests/s, p99 {half.P99Ms:0.00} ms — × floor = p99 / trivial p50"),
            "Sqlite", new Timing(half.P50Ms, half.P95Ms, (int)half.Requests), half.P99Ms / trivial.P50Ms));
        floors.Add(new Measurement("predict, model cached: the same tenant right after its cold request (HttpClient, one at a time)", "Sqlite", cold.Warm, 1.0));
        results.Add(new Measurement("predict, model evicted: first request to the tenant (cold load)", "Sqlite", cold.Cold, cold.Cold.MedianMs / cold.Warm.MedianMs));

        notes.Add(string.Create(c, $"""
            | run | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | server cores | server µs/request | other cores (wrk and the rest) |
            | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
            {string.Join(Environment.NewLine, pairs.SelectMany((x, i) => new[] { Row($"GET /health/live, max (pair {i + 1})", x.Trivial), Row($"predict, max (pair {i + 1}: {x.Predict.RequestsPerSecond / x.Trivial.RequestsPerSecond:P0})", x.Predict) }))}
            {Row("predict, half load", half)}
            """));
        var capacity = trivial.ServerMicrosecondsPerRequest / predict.ServerMicrosecondsPerRequest;
        notes.Add(string.Create(c,
            $"**Predict throughput {predict.RequestsPerSecond:N0} requests/s = {ratio:P1} of the trivial endpoint's {trivial.RequestsPerSecond:N0} as wrk drove them " +
            $"(the median of {Pairs} back-to-back pairs: {string.Join(", ", pairs.Select(x => (x.Predict.RequestsPerSecond / x.Trivial.RequestsPerSecond).ToString("P1", c)))}; " +
            $"bar ≥ 50 % in requests per second, as the issue measures throughput: {(ratio >= 0.5 ? "met" : "missed")}). " +
            $"In server CPU per request, {predict.ServerMicrosecondsPerRequest:0} µs against {trivial.ServerMicrosecondsPerRequest:0} µs: with the machine to itself the " +
            $"server's predict capacity would be {capacity:P0} of its trivial capacity. p99 at {half.RequestsPerSecond:N0} requests/s " +
            $"({half.RequestsPerSecond / predict.RequestsPerSecond:P0} of the maximum): {half.P99Ms:0.00} ms (bar ≤ 10 ms: {(half.P99Ms <= 10 ? "met" : "missed")}). " +
            $"Cold load of an evicted model: p95 {cold.Cold.P95Ms:0.0} ms, median {cold.Cold.MedianMs:0.0} ms ({cold.Cold.Runs} samples) against {cold.Warm.MedianMs:0.00} ms warm.**"));
        notes.Add("Why two ratios: on two cores the load generator competes with the server, and one wrk thread needs most of a core to keep " +
                  "either endpoint busy (see the last column), so the maximum requests/s are partly the client's limit. The server's own CPU " +
                  "per request (from /proc over the run) does not depend on who was the bottleneck: cores ÷ CPU per request is what the " +
                  "server could answer with the machine to itself.");
        notes.Add(string.Create(c,
            $"Before the load: one request per tenant loaded all {tenants.Count:N0} models in {warmPassSeconds:0.0} s (4 at a time); a second pass " +
            $"answered in a median {secondPass.MedianMs:0.00} ms, p95 {secondPass.P95Ms:0.00} ms (every model held); the server then held " +
            $"{residentMb:N0} MiB resident. Errors: none (wrk counted no socket errors and no non-2xx answers in any predict run). " +
            $"The cold figure is everything a tenant's first request after its model was evicted costs: reading the artifact from the region store " +
            $"and loading it, plus the champion, normally still held (re-read every 5 minutes, moves seen by a sweep every 5 s), and the tenant's key, normally still remembered (10 minutes)."));
        notes.Add($"Machine: {machine}; load average (1 min) {load} before the scenario. Load generator: {wrkVersion}, one thread; Debian has no wrk2, " +
                  "so the half-load run paces connections with the Lua `delay()` — wrk times a request from when it is sent, so a stall of the " +
                  "server delays the next sends rather than showing in the percentiles (coordinated omission): the percentiles are a lower " +
                  "bound when the server stalls, and the max column shows the longest stall. Seeding (not measured): " + string.Create(c, $"{seedingSeconds:0} s."));
        notes.Add("Target (issue 6): single-row predict throughput ≥ 50 % of a trivial endpoint on the same server, p99 ≤ 10 ms at half of the " +
                  "maximum predict throughput, cold load of an evicted model p95 reported.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static Dictionary<string, string> NodeSettings(string data, int cacheMegabytes) => new()
    {
        ["ControlPlane:DataDirectory"] = data,
        ["ControlPlane:Demo:Seed"] = "false",
        ["ControlPlane:Serving:CacheMemoryMegabytes"] = cacheMegabytes.ToString(CultureInfo.InvariantCulture),
        ["ControlPlane:Serving:RequestsPerSecondPerTenant"] = "1000000",
        ["ControlPlane:Serving:BurstPerTenant"] = "1000000",
        ["ControlPlane:Serving:WarmUpModels"] = "0", // the benchmark warms the cache itself, and the cold run must start empty
    };

    private static string PredictPath(ServedTenant t) => $"/api/v1/predict/{t.Slug}/{ServingFleetSeeder.UseCase}";

    private static string Body(ServedTenant t, int i) =>
        new JsonObject { ["rows"] = new JsonArray(t.Rows[i % t.Rows.Count].DeepClone()) }.ToJsonString();

    private static async Task<TimeSpan> PredictAsync(WebNode node, ServedTenant tenant, int i, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PredictPath(tenant))
        {
            Content = new StringContent(Body(tenant, i), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", tenant.ApiKey);
        var start = Stopwatch.GetTimestamp();
        using var response = await node.Client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"probability\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Predict for {tenant.Slug} answered {(int)response.StatusCode}: {body}{Environment.NewLine}{node.Output}");
        }

        return elapsed;
    }

    private static Task PassAsync(WebNode node, IReadOnlyList<ServedTenant> tenants, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, tenants.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (i, token) => await PredictAsync(node, tenants[i], i, token));

    private static async Task<Timing> TimedPassAsync(WebNode node, IReadOnlyList<ServedTenant> tenants, CancellationToken ct)
    {
        var samples = new List<double>();
        for (var i = 0; i < tenants.Count; i++)
        {
            samples.Add((await PredictAsync(node, tenants[i], i, ct)).TotalMilliseconds);
        }

        return Summarize(samples);
    }

    /// <summary>Paces <see cref="PacedConnections"/> connections to about <paramref name="target"/> requests a second: a short run to calibrate the delay, then the measured one.</summary>
    private static async Task<WrkResult> HalfLoadAsync(string script, string root, string requestFile, double target, int seconds, WebNode node)
    {
        const double latencyGuessMs = 1.0;
        var delay = Math.Max(1, (int)Math.Round(PacedConnections * 1000 / target - latencyGuessMs));
        var probe = await Wrk.RunAsync(script, root, PacedConnections, 8, requestFile, delay, node.CpuSeconds);
        var perRequestMs = PacedConnections * 1000 / probe.RequestsPerSecond; // delay + latency + the client's own turn-around, as observed
        delay = Math.Max(1, (int)Math.Round(delay + PacedConnections * 1000 / target - perRequestMs));
        Console.WriteLine($"  half load: probe {probe.RequestsPerSecond:0} rps; mean delay {delay} ms for {target:0} rps");
        return await Wrk.RunAsync(script, root, PacedConnections, Math.Max(seconds, 30), requestFile, delay, node.CpuSeconds);
    }

    /// <summary>Loads and evicts the tenants' models once, then times each tenant's first request (model evicted) and a second one right after it.</summary>
    private static async Task<(Timing Cold, Timing Warm)> ColdAsync(WebNode node, IReadOnlyList<ServedTenant> tenants, CancellationToken ct)
    {
        for (var i = 0; i < tenants.Count; i++)
        {
            await PredictAsync(node, tenants[i], i, ct);
        }

        var cold = new List<double>();
        var warm = new List<double>();
        for (var i = 0; i < tenants.Count; i++)
        {
            cold.Add((await PredictAsync(node, tenants[i], i, ct)).TotalMilliseconds);
            warm.Add((await PredictAsync(node, tenants[i], i, ct)).TotalMilliseconds);
        }

        return (Summarize(cold), Summarize(warm));
    }

    private static Timing Summarize(List<double> samples)
    {
        samples.Sort();
        return new Timing(samples[samples.Count / 2], samples[(int)Math.Ceiling(samples.Count * 0.95) - 1], samples.Count);
    }

    private static void Report(string what, WrkResult r) =>
        Console.WriteLine($"  {what}: {r.RequestsPerSecond:0} rps, p50 {r.P50Ms:0.00} p99 {r.P99Ms:0.00} max {r.MaxMs:0.0} ms, " +
                          $"errors {r.Errors}/{r.StatusErrors}, server {r.ServerCores:0.00} cores ({r.ServerMicrosecondsPerRequest:0} µs/request), others {r.OtherCores:0.00}");

    private static string Row(string run, WrkResult r) => string.Create(CultureInfo.InvariantCulture,
        $"| {run} | {r.RequestsPerSecond:N0} | {r.P50Ms:0.00} | {r.P90Ms:0.00} | {r.P99Ms:0.00} | {r.P999Ms:0.00} | {r.MaxMs:0.0} | {r.ServerCores:0.00} | {r.ServerMicrosecondsPerRequest:0} | {r.OtherCores:0.00} |");

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0
            : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory:0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
