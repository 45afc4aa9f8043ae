namespace ControlPlane.Core.Security;

/// <summary>
/// A POST sent with an <c>Idempotency-Key</c>: who sent it (<see cref="Owner"/>), to what, and — once answered — the
/// answer, replayed when the same key comes again from the same owner within a day.
/// </summary>
public sealed class IdempotencyRecord
{
    public string Owner { get; set; } = "";
    public string Key { get; set; } = "";
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";

    /// <summary>SHA-256 of the body when it was small enough to compare (64 KB); null when not compared.</summary>
    public string? BodyHash { get; set; }

    public bool Completed { get; set; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[]? Body { get; set; }
    public DateTime CreatedAt { get; set; }
}
