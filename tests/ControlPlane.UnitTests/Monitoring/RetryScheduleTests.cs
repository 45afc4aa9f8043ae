using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Options;

namespace ControlPlane.UnitTests.Monitoring;

public sealed class RetryScheduleTests
{
    private static readonly WebhookOptions Options = new() { FirstDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(5) };

    [Theory]
    [InlineData(null, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    [InlineData(301, false)]
    public void Only_timeouts_connection_errors_408_429_and_5xx_are_retried(int? status, bool retried) =>
        Assert.Equal(retried, RetrySchedule.IsRetryable(status));

    [Fact]
    public void Delays_double_within_twenty_percent_and_stop_at_the_max()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(RetrySchedule.Delay(1, Options, null, random).TotalSeconds, 8, 12);
            Assert.InRange(RetrySchedule.Delay(2, Options, null, random).TotalSeconds, 16, 24);
            Assert.InRange(RetrySchedule.Delay(3, Options, null, random).TotalSeconds, 32, 48);
            Assert.InRange(RetrySchedule.Delay(40, Options, null, random).TotalSeconds, 240, 360);
        }

        var samples = Enumerable.Range(0, 50).Select(_ => RetrySchedule.Delay(1, Options, null, random)).Distinct().Count();
        Assert.True(samples > 40, "jitter spreads the delays");
    }

    [Fact]
    public void A_longer_retry_after_is_honoured_up_to_the_max_and_a_shorter_one_ignored()
    {
        var random = new Random(1);
        Assert.Equal(TimeSpan.FromSeconds(90), RetrySchedule.Delay(1, Options, TimeSpan.FromSeconds(90), random));
        Assert.Equal(Options.MaxDelay, RetrySchedule.Delay(1, Options, TimeSpan.FromHours(3), random));
        Assert.InRange(RetrySchedule.Delay(1, Options, TimeSpan.FromSeconds(1), random).TotalSeconds, 8, 12);
    }

    [Fact]
    public void The_signature_is_the_hmac_of_timestamp_dot_body_and_verification_enforces_the_window()
    {
        // Reference value computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        var signature = WebhookSignature.Sign("whsec_test", 1700000000, "{\"a\":1}");
        Assert.Equal("sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789", signature);
        var at = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        Assert.True(WebhookSignature.Verify("whsec_test", "1700000000", "{\"a\":1}", signature, at.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_test", "1700000000", "{\"a\":1}", signature, at.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_other", "1700000000", "{\"a\":1}", signature, at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_test", "1700000001", "{\"a\":1}", signature, at, TimeSpan.FromMinutes(5)));
    }
}
