using System.Net;
using System.Net.Sockets;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Security;

/// <summary>A connection the egress policy refused; its message names the host and why, never what (if anything) answers there.</summary>
public sealed class EgressRefusedException(string message) : Exception(message);

/// <summary>
/// Decides whether the server may connect to a host on a user's behalf (decision 0037). A host is resolved and every
/// address it resolves to must be public or inside a network an administrator allowed (<see cref="EgressOptions.Allow"/>);
/// cloud metadata names are refused by name as well. Callers check when a URL or connection string is saved (to answer
/// the user at once) and again when they connect, to the very addresses checked (<see cref="ResolveAsync"/>), so a name
/// that resolves elsewhere later (DNS rebinding) is caught.
/// </summary>
public sealed class EgressPolicy
{
    public const string AllowSetting = "ControlPlane:Egress:Allow";

    /// <summary>Names of cloud metadata services; their addresses are link-local (refused anyway) but some resolve otherwise.</summary>
    private static readonly string[] MetadataNames =
        ["metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com", "instance-data", "instance-data.ec2.internal"];

    private readonly List<(IPAddress Network, int Prefix)> _networks = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public EgressPolicy(IOptions<ControlPlaneOptions> options)
        : this(options.Value.Egress.Allow, Dns.GetHostAddressesAsync)
    {
    }

    /// <summary>A policy with these allow entries and resolver (tests resolve names without a DNS server).</summary>
    public EgressPolicy(IEnumerable<string> allow, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _resolve = resolve;
        foreach (var entry in allow)
        {
            if (!TryAdd(entry))
            {
                throw new OptionsValidationException(AllowSetting, typeof(EgressOptions), [EntryError(entry)]);
            }
        }
    }

    /// <summary>Null when the entry is an address, CIDR network, host name or "*.suffix"; otherwise why not.</summary>
    public static string? CheckEntry(string? entry) =>
        new EgressPolicy([], (_, _) => Task.FromResult(Array.Empty<IPAddress>())).TryAdd(entry) ? null : EntryError(entry);

    /// <summary>
    /// The addresses to connect to for <paramref name="host"/>, all of them allowed.
    /// </summary>
    /// <exception cref="EgressRefusedException">The host is a metadata name, cannot be resolved, or resolves to an address not allowed.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var name = host.Trim().TrimEnd('.').Trim('[', ']');
        if (name.Length == 0)
        {
            throw new EgressRefusedException("The address has no host.");
        }

        var byName = AllowedByName(name);
        if (!byName && MetadataNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw Refused(host, "it names a cloud metadata service");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(name, ct);
            }
            catch (SocketException)
            {
                throw new EgressRefusedException($"The host '{host}' cannot be resolved.");
            }
        }

        if (addresses.Length == 0)
        {
            throw new EgressRefusedException($"The host '{host}' cannot be resolved.");
        }

        if (!byName)
        {
            foreach (var address in addresses)
            {
                if (Category(address) is { } category && !InAllowedNetwork(address))
                {
                    // Every address must pass: a name that resolves to one public and one private address is refused.
                    throw Refused(host, $"it is {category} address");
                }
            }
        }

        return addresses;
    }

    /// <summary>Null when the host may be reached; otherwise the refusal's message.</summary>
    public async Task<string?> CheckAsync(string host, CancellationToken ct)
    {
        try
        {
            await ResolveAsync(host, ct);
            return null;
        }
        catch (EgressRefusedException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Why an address is not public ("a loopback", "a private", ...), or null for a public one.</summary>
    public static string? Category(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "an unspecified",
                10 => "a private",
                127 => "a loopback",
                100 when b[1] >= 64 && b[1] < 128 => "a shared (carrier-grade NAT)",
                169 when b[1] == 254 => "a link-local",
                172 when b[1] >= 16 && b[1] < 32 => "a private",
                192 when b[1] == 168 => "a private",
                192 when b[1] == 0 && b[2] == 0 => "a reserved",
                198 when b[1] is 18 or 19 => "a reserved (benchmarking)",
                >= 224 and < 240 => "a multicast",
                >= 240 => "a reserved",
                _ => null,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "an unsupported";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "a loopback";
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return "an unspecified";
        }

        var v6 = address.GetAddressBytes();
        if (v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return "an IPv4-compatible"; // ::a.b.c.d, deprecated and a way around the IPv4 checks
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal ? "a link-local"
            : address.IsIPv6Multicast ? "a multicast"
            : (v6[0] & 0xFE) == 0xFC ? "a private (unique local)"
            : v6[0] == 0x20 && v6[1] == 0x02 ? "a 6to4" // 2002::/16 embeds an IPv4 address
            : v6[0] == 0 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B ? "a NAT64" // 64:ff9b::/96 likewise
            : null;
    }

    private bool AllowedByName(string name) =>
        _names.Contains(name) || _suffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private bool InAllowedNetwork(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        foreach (var (network, prefix) in _networks)
        {
            if (network.AddressFamily == address.AddressFamily && SamePrefix(network.GetAddressBytes(), bytes, prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        var whole = bits / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(b.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (b[whole] & mask);
    }

    private bool TryAdd(string? entry)
    {
        var text = entry?.Trim() ?? "";
        if (text.Length == 0)
        {
            return false;
        }

        if (IPNetwork.TryParse(text, out var network))
        {
            _networks.Add((network.BaseAddress, network.PrefixLength));
            return true;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            _networks.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            return true;
        }

        if (text.StartsWith("*.", StringComparison.Ordinal) && Uri.CheckHostName(text[2..]) == UriHostNameType.Dns)
        {
            _suffixes.Add(text[1..]);
            return true;
        }

        if (Uri.CheckHostName(text) == UriHostNameType.Dns)
        {
            _names.Add(text.TrimEnd('.'));
            return true;
        }

        return false;
    }

    private static string EntryError(string? entry) =>
        $"{AllowSetting} entry '{entry}' is not an address, a CIDR network (10.0.0.0/8), a host name or a '*.suffix'.";

    private static EgressRefusedException Refused(string host, string why) => new(
        $"The server may not connect to '{host}': {why}. An administrator can allow it in {AllowSetting}.");
}
