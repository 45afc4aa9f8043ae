using System.Collections.Concurrent;
using System.Net;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Failed sign-ins throttled by client address (decision 0043). Lock-out by account alone let anyone lock the admin out:
/// five wrong passwords from anywhere and the real admin could not sign in for 15 minutes. Here failures count per
/// (account, address) and per address: an address that guessed wrong too often for an account — or for too many
/// accounts — waits; the account's owner signing in from their own address is never locked out by someone else.
/// Counts are kept in memory per node (a cluster allows that many per node; the window forgets them).
/// </summary>
public sealed class SignInThrottle(IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);

    private SecurityOptions Settings => options.Value.Security;

    private TimeSpan Span => TimeSpan.FromMinutes(Settings.LockoutMinutes);

    /// <summary>True when this address may not try this account (or any account) now.</summary>
    public bool IsBlocked(string email, IPAddress? address) =>
        Count(AccountKey(email, address)) >= Settings.MaxFailedSignInAttempts || Count(AddressKey(address)) >= Settings.MaxFailedSignInsPerAddress;

    public void Failed(string email, IPAddress? address)
    {
        Add(AccountKey(email, address));
        Add(AddressKey(address));
        if (_failures.Count > 100_000)
        {
            Sweep();
        }
    }

    /// <summary>A correct sign-in clears its account's count from that address (not the address's count of other accounts).</summary>
    public void Succeeded(string email, IPAddress? address) => _failures.TryRemove(AccountKey(email, address), out _);

    private static string AddressKey(IPAddress? address) => $"a|{Normalize(address)}";

    private static string AccountKey(string email, IPAddress? address) => $"u|{email.Trim().ToUpperInvariant()}|{Normalize(address)}";

    private static string Normalize(IPAddress? address) =>
        address is null ? "-" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private int Count(string key) => _failures.TryGetValue(key, out var window) ? window.Count(time.GetUtcNow(), Span) : 0;

    private void Add(string key) => _failures.GetOrAdd(key, _ => new Window()).Add(time.GetUtcNow(), Span);

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, window) in _failures)
        {
            if (window.Count(now, Span) == 0)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Failure times within the window.</summary>
    private sealed class Window
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public int Count(DateTimeOffset now, TimeSpan span)
        {
            lock (_times)
            {
                Drop(now, span);
                return _times.Count;
            }
        }

        public void Add(DateTimeOffset now, TimeSpan span)
        {
            lock (_times)
            {
                Drop(now, span);
                _times.Enqueue(now);
                if (_times.Count > 1000)
                {
                    _times.Dequeue();
                }
            }
        }

        private void Drop(DateTimeOffset now, TimeSpan span)
        {
            while (_times.Count > 0 && now - _times.Peek() >= span)
            {
                _times.Dequeue();
            }
        }
    }
}
