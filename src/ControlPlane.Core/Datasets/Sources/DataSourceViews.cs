namespace ControlPlane.Core.Datasets.Sources;

public sealed record SqlSourceRequest(string? ConnectionString, string? Query, string? WatermarkColumn);

/// <summary>A source as it may be shown: never the connection string, only its host, database and user.</summary>
public sealed record DataSourceView(
    string Kind, string? Host, string? Database, string? Username, string? Query, string? WatermarkColumn, string? LastWatermark,
    string? Path, string? LastFile, DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt)
{
    public static DataSourceView From(DataSource s) => new(
        s.Kind, s.Host, s.Database, s.Username, s.Query, s.WatermarkColumn, s.LastWatermark,
        s.PathPattern, s.LastFile, s.CreatedAt, s.CreatedBy, s.UpdatedAt);
}

/// <summary>The outcome of a pull: a version (new or an existing one with the same bytes), or nothing new.</summary>
public sealed record DataSourcePull(bool Created, string Message, CreatedDatasetVersion? Dataset);
