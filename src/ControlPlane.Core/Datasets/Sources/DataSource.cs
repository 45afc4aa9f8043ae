using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Datasets.Sources;

/// <summary>
/// Where an enrollment's data is pulled from, one per enrollment (setting it again replaces it): a query on a PostgreSQL
/// database, optionally incremental by a watermark column, or a server-side file path or glob under an allowed root.
/// </summary>
public sealed class DataSource
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }

    /// <summary><see cref="DataSourceKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The connection string encrypted with Data Protection; never returned or logged.</summary>
    public string? ProtectedConnectionString { get; set; }

    /// <summary>Host, database and user name of the connection string: the parts that may be shown and logged.</summary>
    public string? Host { get; set; }
    public string? Database { get; set; }
    public string? Username { get; set; }

    public string? Query { get; set; }
    public string? WatermarkColumn { get; set; }

    /// <summary>The greatest watermark pulled so far, as invariant text.</summary>
    public string? LastWatermark { get; set; }

    public string? PathPattern { get; set; }

    /// <summary>Full path of the newest file pulled so far.</summary>
    public string? LastFile { get; set; }
    public DateTime? LastFileWrittenAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

public static class DataSourceKinds
{
    public const string Sql = "sql";
    public const string Path = "path";
}
