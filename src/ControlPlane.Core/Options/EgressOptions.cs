namespace ControlPlane.Core.Options;

/// <summary>
/// The "ControlPlane:Egress" section: where the server may connect on a user's behalf (webhooks, SQL sources). Public
/// addresses are always allowed; loopback, private, link-local and other special ranges and cloud metadata names only
/// when listed here (decision 0037).
/// </summary>
public sealed class EgressOptions
{
    /// <summary>
    /// Entries an administrator allows in addition to public addresses: an address ("10.1.2.3", "::1"), a network in CIDR
    /// form ("10.20.0.0/16", "fd00::/8"), a host name ("warehouse.corp.example") or a name suffix ("*.corp.example").
    /// A host name entry allows that name whatever it resolves to.
    /// </summary>
    public List<string> Allow { get; set; } = [];
}
