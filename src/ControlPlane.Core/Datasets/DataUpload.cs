using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Datasets;

/// <summary>A raw file a tenant handed us (onboarding or demo seed), kept in its region store until ingested.</summary>
public sealed class DataUpload
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }
    public required string FileName { get; set; }
    public required string StoragePath { get; set; }
    public required string Region { get; set; }
    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }
    public DateTime UploadedAt { get; set; }
    public string UploadedBy { get; set; } = "";
}
