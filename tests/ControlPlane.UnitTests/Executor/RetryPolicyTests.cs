using ControlPlane.Executor.Definitions;

namespace ControlPlane.UnitTests.Executor;

public class RetryPolicyTests
{
    [Fact]
    public void The_first_attempt_never_waits()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(1));
        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(0));
    }

    [Fact]
    public void Delays_grow_by_the_factor_from_the_initial_delay()
    {
        var policy = new RetryPolicy(6, TimeSpan.FromSeconds(1), BackoffFactor: 3, MaxDelay: TimeSpan.FromHours(1));

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(81)],
            Enumerable.Range(2, 5).Select(policy.DelayBefore));
    }

    [Fact]
    public void Delays_stop_growing_at_the_ceiling()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1), BackoffFactor: 2, MaxDelay: TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayBefore(5));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(6));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(10));
    }

    [Fact]
    public void Without_a_ceiling_delays_are_capped_at_an_hour_even_for_absurd_attempt_numbers()
    {
        var policy = new RetryPolicy(int.MaxValue, TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.FromHours(1), policy.DelayBefore(100));
        Assert.Equal(TimeSpan.FromHours(1), policy.DelayBefore(int.MaxValue));
    }

    [Fact]
    public void A_factor_of_one_keeps_a_constant_delay()
    {
        var policy = new RetryPolicy(4, TimeSpan.FromMilliseconds(250), BackoffFactor: 1);

        Assert.All(Enumerable.Range(2, 3), n => Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayBefore(n)));
    }

    [Fact]
    public void The_builder_keeps_the_policy_and_refuses_fewer_than_one_attempt()
    {
        var definition = Pipeline.Define("retrying", p => p
            .Task("a", _ => Task.CompletedTask).Retry(3, TimeSpan.FromSeconds(2), 4, TimeSpan.FromSeconds(20)));

        Assert.Equal(new RetryPolicy(3, TimeSpan.FromSeconds(2), 4, TimeSpan.FromSeconds(20)), definition.Task("a").Retry);
        Assert.Equal(RetryPolicy.None, Pipeline.Define("once", p => p.Task("a", _ => Task.CompletedTask)).Task("a").Retry);
        Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("never", p => p.Task("a", _ => Task.CompletedTask).Retry(0, TimeSpan.Zero)));
    }
}
