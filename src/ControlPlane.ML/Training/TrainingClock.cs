using System.Diagnostics;

namespace ControlPlane.ML.Training;

/// <summary>
/// A training's wall time and the process's CPU time over it (every core's). The CPU includes anything else the process
/// did meanwhile — other tasks on the executor's slots — so it is what the training cost at most (decision 0049).
/// </summary>
internal sealed class TrainingClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Environment.CpuUsage.TotalTime;

    public TimeSpan Elapsed => _wall.Elapsed;

    public TimeSpan Cpu => Environment.CpuUsage.TotalTime - _cpu;
}
