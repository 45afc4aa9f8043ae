using System.Net;
using System.Net.Http.Json;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>The runs API as tests use it: start, read, wait for a state, with failures that show the whole run.</summary>
public static class RunsClient
{
    public static async Task<Guid> StartRunAsync(
        this HttpClient client, string pipeline, IReadOnlyDictionary<string, string>? parameters = null, string? tenant = null, string? useCase = null)
    {
        var response = await client.PostJsonAsync("/api/v1/runs", new { pipeline, tenant, useCase, parameters });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Starting {pipeline}: {(int)response.StatusCode} {body}");
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["runId"]!.GetValue<Guid>();
    }

    public static async Task<RunDetails> GetRunAsync(this HttpClient client, Guid runId)
    {
        var response = await client.GetAsync($"/api/v1/runs/{runId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Reading run {runId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<RunDetails>(Json.Options))!;
    }

    public static Task<RunDetails> WaitForRunAsync(this HttpClient client, Guid runId, Func<RunDetails, bool> done, string what, TimeSpan? timeout = null) =>
        Eventually.Until(() => client.GetRunAsync(runId), done, $"run {runId}: {what}", timeout, Describe);

    public static Task<RunDetails> WaitFinishedAsync(this HttpClient client, Guid runId, TimeSpan? timeout = null) =>
        client.WaitForRunAsync(runId, r => r.Run.State.IsFinished(), "to finish", timeout);

    public static TaskSummary Task(this RunDetails run, string name) =>
        run.Tasks.SingleOrDefault(t => t.Name == name) ?? throw new InvalidOperationException($"Run has no task '{name}': {Describe(run)}");

    /// <summary>One line per task with its attempts: what a failing wait prints.</summary>
    public static string Describe(RunDetails run) =>
        $"{run.Run.Pipeline} {run.Run.State} ({run.Run.Error}); " + string.Join("; ", run.Tasks.Select(t =>
            $"{t.Name}={t.State} [{string.Join(", ", t.AttemptHistory.Select(a => $"#{a.Number} {a.State} on {a.Node}{(a.Error is null ? "" : ": " + a.Error)}"))}]"))
        + (run.Children.Count == 0 ? "" : "; children: " + string.Join(", ", run.Children.Select(c => $"{c.Tenant}={c.State}")));
}
