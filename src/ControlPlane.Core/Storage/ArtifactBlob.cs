namespace ControlPlane.Core.Storage;

/// <summary>A file of the database-backed artifact store, used by multi-node PostgreSQL set-ups.</summary>
public sealed class ArtifactBlob
{
    public required string Region { get; set; }
    public required string Path { get; set; }
    public required byte[] Content { get; set; }
    public long SizeBytes { get; set; }
    public DateTime WrittenAt { get; set; }
}
