using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Runs;

/// <summary>Runs created through the real engine on the test database; nothing executes them, so tests move them on.</summary>
public abstract class RunsTestContext : CoreTestContext
{
    protected RunsTestContext()
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);

        // Live updates go through a reload throttle and the renderer's queue; on two busy cores a second is not always enough.
        DefaultWaitTimeout = TimeSpan.FromSeconds(5);
    }

    protected DagEngine Engine => Services.GetRequiredService<DagEngine>();

    protected RunEvents Events => Services.GetRequiredService<RunEvents>();

    protected async Task<PipelineRun> CreateDemoRunAsync() =>
        await Engine.CreateRunAsync(new RunRequest(DemoPipelines.Demo, Trigger: "manual", TriggeredBy: "test"));
}
