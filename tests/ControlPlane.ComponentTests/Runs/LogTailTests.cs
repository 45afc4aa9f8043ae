using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.Web.Components.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Runs;

public sealed class LogTailTests : RunsTestContext
{
    private static readonly DateTime At = new(2026, 11, 30, 10, 15, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Shows_the_stored_lines_then_appends_live_lines_of_its_attempt_only()
    {
        var (runId, attemptId) = (Guid.NewGuid(), Guid.NewGuid());
        await StoreAsync(runId, attemptId, "first stored line", "second stored line");

        var cut = Render<LogTail>(p => p.Add(l => l.RunId, runId).Add(l => l.AttemptId, attemptId));
        cut.WaitForAssertion(() => Assert.Equal(
            ["10:15:00.000 Information first stored line", "10:15:01.000 Information second stored line"], Lines(cut)));

        Events.Publish(new RunEvent(runId, RunEvent.LogLine, "extract", Message: "10:15:02.000 Warning a live line", AttemptId: attemptId));
        Events.Publish(new RunEvent(runId, RunEvent.LogLine, "train", Message: "10:15:02.500 Information another attempt", AttemptId: Guid.NewGuid()));
        Events.Publish(new RunEvent(Guid.NewGuid(), RunEvent.LogLine, "extract", Message: "10:15:02.600 Information another run", AttemptId: attemptId));

        cut.WaitForAssertion(() => Assert.Equal(3, Lines(cut).Count));
        Assert.Equal("10:15:02.000 Warning a live line", Lines(cut)[^1]);
        Assert.Contains("cp-log-warning", cut.FindAll(".cp-log-line")[^1].ClassList);
    }

    [Fact]
    public async Task Lines_published_before_it_listened_are_read_from_the_database_shortly_after_in_order_without_repeats()
    {
        var (runId, attemptId) = (Guid.NewGuid(), Guid.NewGuid());
        var cut = Render<LogTail>(p => p.Add(l => l.RunId, runId).Add(l => l.AttemptId, attemptId));
        cut.WaitForAssertion(() => Assert.Contains("No lines yet.", cut.Find("#log-lines").TextContent, StringComparison.Ordinal));

        // The third line arrives live; all three reach the database in one batch a little later.
        Events.Publish(new RunEvent(runId, RunEvent.LogLine, "extract", Message: "10:15:02.000 Information third", AttemptId: attemptId));
        await StoreAsync(runId, attemptId, "first", "second", "third");

        cut.WaitForAssertion(() => Assert.Equal(
            ["10:15:00.000 Information first", "10:15:01.000 Information second", "10:15:02.000 Information third"], Lines(cut)));
    }

    [Fact]
    public async Task Keeps_only_the_last_500_lines()
    {
        var (runId, attemptId) = (Guid.NewGuid(), Guid.NewGuid());
        await StoreAsync(runId, attemptId, Enumerable.Range(1, 505).Select(i => $"line {i}").ToArray());

        var cut = Render<LogTail>(p => p.Add(l => l.RunId, runId).Add(l => l.AttemptId, attemptId));
        cut.WaitForAssertion(() => Assert.Equal(500, Lines(cut).Count));
        Assert.EndsWith(" line 6", Lines(cut)[0], StringComparison.Ordinal);

        Events.Publish(new RunEvent(runId, RunEvent.LogLine, "extract", Message: "10:20:00.000 Information line 506", AttemptId: attemptId));

        cut.WaitForAssertion(() => Assert.EndsWith(" line 506", Lines(cut)[^1], StringComparison.Ordinal));
        Assert.Equal(500, Lines(cut).Count);
        Assert.EndsWith(" line 7", Lines(cut)[0], StringComparison.Ordinal);
    }

    private async Task StoreAsync(Guid runId, Guid attemptId, params string[] messages)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        db.AttemptLogLines.AddRange(messages.Select((m, i) => new AttemptLogLine
        {
            RunId = runId, AttemptId = attemptId, At = At.AddSeconds(i), Level = "Information", Message = m,
        }));
        await db.SaveChangesAsync();
    }

    private static List<string> Lines(IRenderedComponent<LogTail> cut) => cut.FindAll(".cp-log-line").Select(l => l.TextContent).ToList();
}
