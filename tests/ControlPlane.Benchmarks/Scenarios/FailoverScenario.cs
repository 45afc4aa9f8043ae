using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Issue 16, point 4: two clustered nodes on one PostgreSQL database; a real retrain's training node is killed with
/// SIGKILL mid-training, and the time until the other node has taken the task back and started training again is
/// measured from the run's own timestamps. The floor is the configured loss threshold (ExecutorOptions.NodeLostSeconds):
/// no detection can be faster than the silence it waits for. Several rounds, the killed node restarted between them.
/// </summary>
public sealed class FailoverScenario : IScenario
{
    private const string Token = "bench-failover-token-0123456789abcdef";
    private const string Tenant = "contoso-health";
    private const string UseCase = "churn-risk";
    private const int LostSeconds = 5;

    public string Name => "failover";
    public string Title => "Failover: a training node killed with SIGKILL, time until another node trains again";

    public string Description =>
        "Two nodes clustered on one PostgreSQL database share a data folder. A retrain of a demo tenant starts; while its " +
        "'train' task is training (progress above zero), the node running it is killed with SIGKILL. Measured from the " +
        "run's timestamps: when the survivor recorded the attempt as interrupted (handed back) and when the new attempt " +
        $"started training on the survivor. The floor is the loss threshold ({LostSeconds} s of heartbeat silence): the ratio " +
        "says how much of the recovery time is anything but waiting for it. The target of issue 16 is 10 s.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var server = settings.PostgresConnectionString
            ?? throw new InvalidOperationException("The failover benchmark needs PostgreSQL: pass --postgres or set CONTROLPLANE_BENCH_PG.");
        var rounds = int.Parse(settings.Option("--rounds") ?? "5", CultureInfo.InvariantCulture);
        await using var database = await ScratchPostgres.CreateAsync(server, "failover");
        var data = Path.Combine(settings.WorkFolder, "failover");
        Directory.CreateDirectory(data);

        var nodes = new Dictionary<string, WebNode>
        {
            ["node-a"] = await StartAsync("node-a", data, database.ConnectionString, seed: true),
        };
        nodes["node-b"] = await StartAsync("node-b", data, database.ConnectionString, seed: false);
        var handedBack = new List<double>();
        var restarted = new List<double>();
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var any = nodes.Values.First();
                var retrain = await any.Client.PostAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/retrain", null, ct);
                var runId = (await Json(retrain, ct))["runId"]!.GetValue<Guid>();
                var training = await WaitAsync(any, runId, run => Train(run) is { } t && t["state"]!.GetValue<string>() == "Running"
                    && t["progress"]!.GetValue<double>() is > 0 and < 90, TimeSpan.FromMinutes(3), ct);
                var victimName = Train(training)!["node"]!.GetValue<string>();
                var survivor = nodes.Single(n => n.Key != victimName).Value;
                await nodes[victimName].DisposeAsync(); // Process.Kill: SIGKILL
                var killedAt = DateTime.UtcNow;

                var after = await WaitAsync(survivor, runId, run => Attempts(run) is { Count: >= 2 } a && a[1]!["startedAt"] is not null,
                    TimeSpan.FromMinutes(2), ct);
                var attempts = Attempts(after)!;
                var back = (attempts[0]!["finishedAt"]!.GetValue<DateTime>() - killedAt).TotalSeconds;
                var again = (attempts[1]!["startedAt"]!.GetValue<DateTime>() - killedAt).TotalSeconds;
                handedBack.Add(back);
                restarted.Add(again);
                Console.WriteLine($"  round {round}: killed {victimName}; handed back after {back:0.0} s, training again on the other node after {again:0.0} s");

                await survivor.Client.PostAsync($"/api/v1/runs/{runId}/cancel", null, ct);
                nodes[victimName] = await StartAsync(victimName, data, database.ConnectionString, seed: false);
            }
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                await node.DisposeAsync();
            }
        }

        var floor = new Measurement("loss threshold (heartbeat silence)", "Postgres", Timing.Once(LostSeconds * 1000.0), 1);
        var restartTiming = Summary(restarted);
        var backTiming = Summary(handedBack);
        return new ScenarioReport(Name, Title, Description, [floor],
        [
            new Measurement("kill → attempt handed back (interrupted)", "Postgres", backTiming, backTiming.MedianMs / floor.Timing.MedianMs,
                $"{rounds} rounds; max {handedBack.Max():0.0} s"),
            new Measurement("kill → training again on the other node", "Postgres", restartTiming, restartTiming.MedianMs / floor.Timing.MedianMs,
                $"{rounds} rounds; max {restarted.Max():0.0} s (target ≤ 10 s: {(restarted.Max() <= 10 ? "met" : "NOT met")})"),
        ],
        [
            $"Each round: seconds from the kill until the survivor handed the attempt back: {string.Join(", ", handedBack.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))}; " +
            $"until training ran again: {string.Join(", ", restarted.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))}.",
            "Heartbeat every 1 s, loss after 5 s of silence judged on each node's own clock, a check every 2 s, then an immediate dispatch (decision 0039).",
        ]);
    }

    private static Timing Summary(List<double> seconds)
    {
        var sorted = seconds.Order().ToList();
        return new Timing(sorted[sorted.Count / 2] * 1000, sorted[^1] * 1000, sorted.Count);
    }

    private static JsonNode? Train(JsonNode run) => run["tasks"]!.AsArray().FirstOrDefault(t => t!["name"]!.GetValue<string>() == "train");

    private static JsonArray? Attempts(JsonNode run) => Train(run)?["attemptHistory"]?.AsArray();

    private static async Task<JsonNode> WaitAsync(WebNode node, Guid runId, Func<JsonNode, bool> done, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await Json(await node.Client.GetAsync($"/api/v1/runs/{runId}", ct), ct);
            if (done(run))
            {
                return run;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Run {runId} did not reach the expected state in {timeout}: {run.ToJsonString()}{Environment.NewLine}{node.Output}");
            }

            await Task.Delay(100, ct);
        }
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }

    private static async Task<WebNode> StartAsync(string nodeId, string data, string connectionString, bool seed)
    {
        var node = await WebNode.StartAsync(new Dictionary<string, string>
        {
            ["ControlPlane:DataDirectory"] = data,
            ["ControlPlane:Database:Provider"] = "Postgres",
            ["ControlPlane:Database:ConnectionString"] = connectionString,
            ["ControlPlane:Executor:Clustered"] = "true",
            ["ControlPlane:Executor:NodeId"] = nodeId,
            ["ControlPlane:Executor:NodeLostSeconds"] = LostSeconds.ToString(CultureInfo.InvariantCulture),
            ["ControlPlane:Bootstrap:AdminToken"] = Token,
            ["ControlPlane:Bootstrap:AdminEmail"] = "bench@example.com",
            ["ControlPlane:Bootstrap:AdminPassword"] = "Bench-Passw0rd!",
            ["ControlPlane:Secrets:MasterKey"] = "vb7FX5zpauPAVB1L9Noo6CkZLcQwv0Iz29OfJg1pdUE=",
            ["ControlPlane:Demo:Seed"] = seed ? "true" : "false",
            ["ControlPlane:Training:Trainers:0"] = "fasttree",
            ["ControlPlane:Training:TimeBudgetSeconds"] = "30",
            ["ControlPlane:Training:Folds"] = "2",
        });
        node.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return node;
    }
}
