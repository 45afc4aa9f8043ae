using System.Globalization;
using ControlPlane.Executor.Definitions;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// A demo DAG that exercises the executor end to end without touching tenant data: it reports progress, logs,
/// fans in, and can be told to fail. Parameters: "stepMs" (time per progress step, default 150), "fail" (a task name).
/// </summary>
public static class DemoPipelines
{
    public const string Demo = "demo";
    public const string DemoAll = "demo-all";

    public static PipelineDefinition Definition() => Pipeline.Define(Demo, p => p
        .Describe("Demonstrates the executor: a small DAG with progress, logs, a fan-in and retries.")
        .Parameter(PipelineParameter.Integer("stepMs", false, "Milliseconds per progress step (150 when empty).", 1, 60_000))
        .Parameter(PipelineParameter.Choice("fail", false, "A task to fail half way (none when empty).", "extract", "validate", "featurize-numbers", "featurize-text", "train", "evaluate"))
        .Task("extract", ctx => Work(ctx, 10)).Pool("io")
        .Task("validate", ctx => Work(ctx, 5)).After("extract")
        .Task("featurize-numbers", ctx => Work(ctx, 8)).After("validate")
        .Task("featurize-text", ctx => Work(ctx, 12)).After("validate")
        .Task("train", ctx => Work(ctx, 20)).After("featurize-numbers", "featurize-text").Pool("training")
            .Retry(3, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10)).Timeout(TimeSpan.FromMinutes(10))
        .Task("evaluate", ctx => Work(ctx, 6)).After("train"));

    public static PipelineDefinition FanOutDefinition() => Pipeline.Define(DemoAll, p => p
        .Describe("Runs the demo pipeline once for every tenant enrolled in the chosen use case.")
        .FanOutTo(Demo));

    private static async Task Work(TaskContext ctx, int steps)
    {
        var stepMs = ctx.Parameters.TryGetValue("stepMs", out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var ms) ? ms : 150;
        ctx.Log.LogInformation("{Task} for {Tenant}: {Steps} steps of {StepMs} ms", ctx.Task, ctx.Tenant ?? "no tenant", steps, stepMs);
        for (var i = 1; i <= steps; i++)
        {
            await Task.Delay(stepMs, ctx.CancellationToken);
            await ctx.ReportProgressAsync(100.0 * i / steps, $"step {i} of {steps}");
            if (ctx.Parameters.TryGetValue("fail", out var fail) && fail == ctx.Task && i == steps / 2)
            {
                throw new InvalidOperationException($"{ctx.Task} was told to fail (parameter fail={fail}).");
            }
        }
    }
}
