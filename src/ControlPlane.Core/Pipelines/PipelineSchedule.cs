namespace ControlPlane.Core.Pipelines;

/// <summary>A cron schedule of one pipeline for one enrollment, evaluated in its own time zone.</summary>
public sealed class PipelineSchedule
{
    public Guid Id { get; set; }
    public required string Pipeline { get; set; }
    public required string TenantSlug { get; set; }
    public required string UseCase { get; set; }
    public required string Cron { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public bool Paused { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? LastRunAt { get; set; }

    /// <summary>The parameters each run starts with, as a JSON object of strings; relative days ("today-7") are resolved when it fires.</summary>
    public string ParametersJson { get; set; } = "{}";
}
