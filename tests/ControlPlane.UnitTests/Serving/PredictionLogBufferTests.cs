using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.UnitTests.Serving;

public sealed class PredictionLogBufferTests
{
    [Fact]
    public void Entries_beyond_a_full_queue_are_dropped_and_counted_never_waited_for()
    {
        // Not started and never flushed: the queue (20,000 entries) fills up; the database is never touched.
        using var buffer = new PredictionLogBuffer(
            new UnusedDatabase(), Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions()), NullLogger<PredictionLogBuffer>.Instance);

        for (var i = 0; i < 20_005; i++)
        {
            buffer.Offer(new PredictionLogEntry { Source = PredictionSources.RealTime, Inputs = "{}", At = DateTime.UtcNow });
        }

        Assert.Equal(5, buffer.DroppedTotal);
    }

    [Fact]
    public async Task A_batch_that_cannot_be_stored_counts_as_dropped()
    {
        using var buffer = new PredictionLogBuffer(
            new UnusedDatabase(), Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions()), NullLogger<PredictionLogBuffer>.Instance);
        for (var i = 0; i < 3; i++)
        {
            buffer.Offer(new PredictionLogEntry { Source = PredictionSources.RealTime, Inputs = "{}", At = DateTime.UtcNow });
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => buffer.FlushAsync());

        Assert.Equal(3, buffer.DroppedTotal);
    }

    private sealed class UnusedDatabase : IDbContextFactory<ControlPlaneDbContext>
    {
        public ControlPlaneDbContext CreateDbContext() => throw new InvalidOperationException("No database here.");
    }
}
