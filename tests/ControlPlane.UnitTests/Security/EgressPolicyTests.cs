using System.Net;
using ControlPlane.Core.Security;

namespace ControlPlane.UnitTests.Security;

/// <summary>Issue 16, point 2: the egress policy, with a resolver standing in for DNS.</summary>
public sealed class EgressPolicyTests
{
    private static readonly Dictionary<string, string[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["localhost"] = ["127.0.0.1", "::1"],
        ["hooks.example.com"] = ["93.184.216.34"],
        ["split.example.com"] = ["93.184.216.34", "10.0.0.7"],
        ["warehouse.corp.example"] = ["10.20.30.40"],
        ["db.corp.example"] = ["10.20.30.41"],
        ["metadata.google.internal"] = ["169.254.169.254"],
    };

    private static Task<IPAddress[]> Resolve(string name, CancellationToken ct) =>
        Names.TryGetValue(name, out var addresses)
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);

    private static EgressPolicy Policy(params string[] allow) => new(allow, Resolve);

    [Theory]
    // The addresses the issue found accepted and contacted, each in the form a URL or a connection string gives it.
    [InlineData("127.0.0.1", "a loopback")]
    [InlineData("localhost", "a loopback")]
    [InlineData("[::1]", "a loopback")]
    [InlineData("2130706433", "a loopback")]
    [InlineData("127.1", "a loopback")]
    [InlineData("0x7f.1", "a loopback")]
    [InlineData("0.0.0.0", "an unspecified")]
    [InlineData("169.254.169.254", "a link-local")]
    [InlineData("metadata.google.internal", "names a cloud metadata service")]
    [InlineData("10.0.0.1", "a private")]
    [InlineData("172.16.5.4", "a private")]
    [InlineData("192.168.1.1", "a private")]
    [InlineData("100.64.0.1", "a shared (carrier-grade NAT)")]
    [InlineData("::ffff:127.0.0.1", "a loopback")]
    [InlineData("::127.0.0.1", "an IPv4-compatible")]
    [InlineData("fd00:ec2::254", "a private (unique local)")]
    [InlineData("fe80::1", "a link-local")]
    [InlineData("224.0.0.1", "a multicast")]
    [InlineData("split.example.com", "a private")]
    [InlineData("warehouse.corp.example", "a private")]
    public async Task Special_addresses_are_refused_by_default_naming_why(string host, string why)
    {
        var e = await Assert.ThrowsAsync<EgressRefusedException>(() => Policy().ResolveAsync(host, CancellationToken.None));

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{host}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("ControlPlane:Egress:Allow", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hooks.example.com")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public async Task Public_addresses_are_allowed(string host)
    {
        Assert.Null(await Policy().CheckAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_name_is_refused_without_saying_more()
    {
        var refusal = await Policy().CheckAsync("nowhere.invalid", CancellationToken.None);

        Assert.Equal("The host 'nowhere.invalid' cannot be resolved.", refusal);
    }

    [Fact]
    public async Task Allow_entries_open_a_network_a_name_or_a_suffix_and_nothing_else()
    {
        var policy = Policy("127.0.0.0/8", "10.20.30.40", "*.corp.example", "metadata.google.internal");

        Assert.Null(await policy.CheckAsync("127.0.0.1", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("::ffff:127.0.0.2", CancellationToken.None)); // a mapped address is judged as IPv4
        Assert.Null(await policy.CheckAsync("warehouse.corp.example", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("db.corp.example", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("metadata.google.internal", CancellationToken.None));
        Assert.NotNull(await policy.CheckAsync("::1", CancellationToken.None)); // IPv6 loopback is not in 127.0.0.0/8
        Assert.NotNull(await policy.CheckAsync("localhost", CancellationToken.None)); // one of its addresses (::1) is not allowed
        Assert.NotNull(await policy.CheckAsync("10.20.30.41", CancellationToken.None));
        Assert.NotNull(await policy.CheckAsync("169.254.169.254", CancellationToken.None));
    }

    [Fact]
    public async Task A_name_that_resolves_elsewhere_later_is_refused_when_connecting()
    {
        // DNS rebinding: public when the webhook was saved, loopback when it is called.
        var answers = new Queue<string>(["93.184.216.34", "127.0.0.1"]);
        var policy = new EgressPolicy([], (_, _) => Task.FromResult(new[] { IPAddress.Parse(answers.Dequeue()) }));

        Assert.Null(await policy.CheckAsync("rebind.example.com", CancellationToken.None));
        var e = await Assert.ThrowsAsync<EgressRefusedException>(() => policy.ResolveAsync("rebind.example.com", CancellationToken.None));
        Assert.Contains("a loopback", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("::1", true)]
    [InlineData("warehouse.corp.example", true)]
    [InlineData("*.corp.example", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("http://10.0.0.1/", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    public void Allow_entries_are_checked_when_the_server_starts(string entry, bool valid)
    {
        Assert.Equal(valid, EgressPolicy.CheckEntry(entry) is null);
    }
}
