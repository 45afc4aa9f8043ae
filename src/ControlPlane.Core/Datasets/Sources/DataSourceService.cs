using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ControlPlane.Core.Datasets.Sources;

/// <summary>
/// An enrollment's data source and its pulls into dataset versions. Connection strings are encrypted with Data Protection
/// before they are stored and are never returned or logged: only host, database and user name are.
/// </summary>
public sealed class DataSourceService(
    IDbContextFactory<ControlPlaneDbContext> dbs, DatasetService datasets, IDataProtectionProvider protection,
    IOptions<ControlPlaneOptions> options, TimeProvider time, EgressPolicy egress, ILogger<DataSourceService> logger)
{
    public const string ProtectorPurpose = "ControlPlane.DataSources.v1";

    private IDataProtector Protector => protection.CreateProtector(ProtectorPurpose);

    public async Task<Result<DataSourceView>> SetSqlSourceAsync(
        string tenantSlug, string useCase, SqlSourceRequest request, string actor, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return NotEnrolled<DataSourceView>(tenantSlug, useCase);
        }

        var errors = new ValidationErrors();
        if (SqlSource.CheckQuery(request.Query, out var query) is { } queryError)
        {
            errors.Add("Query", queryError);
        }

        NpgsqlConnectionStringBuilder? connection = null;
        try
        {
            connection = string.IsNullOrWhiteSpace(request.ConnectionString) ? null : SqlSource.Parse(request.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            errors.Add("ConnectionString", $"The connection string cannot be read: {ex.Message}");
        }

        if (connection is not null && SqlSource.ServerFileSetting(connection) is { } fileSetting)
        {
            errors.Add("ConnectionString", $"'{fileSetting}' names a file on this server; a data source may not read the server's files.");
        }

        if (connection is null && !errors.Has("ConnectionString"))
        {
            errors.Add("ConnectionString", "Enter a PostgreSQL connection string (Host=…;Database=…;Username=…;Password=…).");
        }

        var watermark = string.IsNullOrWhiteSpace(request.WatermarkColumn) ? null : request.WatermarkColumn.Trim();
        if (errors.Any || connection is null)
        {
            return Result<DataSourceView>.Invalid(errors);
        }

        if (await DryRunAsync(connection, query, watermark, ct) is { } failure)
        {
            return Result<DataSourceView>.Invalid(failure);
        }

        return await SaveAsync(enrollment, actor, s =>
        {
            s.Kind = DataSourceKinds.Sql;
            s.ProtectedConnectionString = Protector.Protect(request.ConnectionString!);
            (s.Host, s.Database, s.Username) = (connection.Host, connection.Database, connection.Username);
            (s.Query, s.WatermarkColumn) = (query, watermark);
        }, ct);
    }

    public async Task<Result<DataSourceView>> SetPathSourceAsync(
        string tenantSlug, string useCase, string? path, string actor, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return NotEnrolled<DataSourceView>(tenantSlug, useCase);
        }

        if (PathSource.CheckPattern(path) is { } bad)
        {
            return Result<DataSourceView>.Invalid("Path", bad);
        }

        var roots = options.Value.DataSources.AllowedPathRoots;
        if (PathSource.RootOf(path!, roots) is null)
        {
            // The allowed folders are not listed: they are the server's paths, not the user's.
            return Result<DataSourceView>.Invalid("Path", roots.Count == 0
                ? "Path sources are turned off: an operator lists the allowed folders in ControlPlane:DataSources:AllowedPathRoots."
                : "The path is outside the folders an operator allowed for path sources (ControlPlane:DataSources:AllowedPathRoots).");
        }

        return await SaveAsync(enrollment, actor, s =>
        {
            s.Kind = DataSourceKinds.Path;
            s.PathPattern = path;
        }, ct);
    }

    public async Task<Result<DataSourceView>> GetAsync(string tenantSlug, string useCase, CancellationToken ct = default)
    {
        var source = await FindSourceAsync(tenantSlug, useCase, ct);
        return source is null
            ? Result<DataSourceView>.NotFound($"'{tenantSlug}' has no data source for '{useCase}'.")
            : Result<DataSourceView>.Ok(DataSourceView.From(source));
    }

    public async Task<Result<DataSourcePull>> PullAsync(string tenantSlug, string useCase, string actor, CancellationToken ct = default)
    {
        var source = await FindSourceAsync(tenantSlug, useCase, ct);
        if (source is null)
        {
            return Result<DataSourcePull>.NotFound($"'{tenantSlug}' has no data source for '{useCase}'.");
        }

        return source.Kind == DataSourceKinds.Sql
            ? await PullSqlAsync(tenantSlug, useCase, source, actor, ct)
            : await PullPathAsync(tenantSlug, useCase, source, actor, ct);
    }

    private async Task<ValidationErrors?> DryRunAsync(NpgsqlConnectionStringBuilder connection, string query, string? watermark, CancellationToken ct)
    {
        NpgsqlConnection db;
        try
        {
            db = await SqlSource.OpenAsync(connection, egress, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or EgressRefusedException or TimeoutException)
        {
            return new ValidationErrors().Add("ConnectionString", $"Cannot connect: {SqlSource.Reason(ex)}");
        }

        await using var _ = db;

        try
        {
            await using var command = await SqlSource.ReadOnlyCommandAsync(db, SqlSource.Probe(query), ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            return watermark is null || columns.Contains(watermark, StringComparer.Ordinal) ? null
                : new ValidationErrors().Add("WatermarkColumn", $"The query has no column '{watermark}' (it has {string.Join(", ", columns)}).");
        }
        catch (NpgsqlException ex)
        {
            return new ValidationErrors().Add("Query", $"The database refused the query: {SqlSource.Reason(ex)}");
        }
    }

    private async Task<Result<DataSourcePull>> PullSqlAsync(string tenantSlug, string useCase, DataSource source, string actor, CancellationToken ct)
    {
        var connection = SqlSource.Parse(Protector.Unprotect(source.ProtectedConnectionString!));
        await using var scratch = new FileStream(
            Path.Combine(Path.GetTempPath(), $"cp-sql-{Guid.NewGuid():N}.csv"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        long rows;
        string? newWatermark = null;
        try
        {
            await using var db = await SqlSource.OpenAsync(connection, egress, ct);
            var watermarkType = source.LastWatermark is null ? null : await WatermarkTypeAsync(db, source, ct);
            await using var command = await SqlSource.ReadOnlyCommandAsync(
                db, SqlSource.Pull(source.Query!, source.WatermarkColumn, source.LastWatermark, watermarkType), ct);
            if (source.LastWatermark is not null)
            {
                command.Parameters.AddWithValue("last", source.LastWatermark);
            }

            await using var reader = await SqlTableReader.OpenAsync(command, ct);
            var index = source.WatermarkColumn is null ? -1 : reader.Columns.ToList().IndexOf(source.WatermarkColumn);
            rows = await CsvTableWriter.WriteAsync(reader, scratch, row => newWatermark = index >= 0 ? row[index] ?? newWatermark : null, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TableFormatException or EgressRefusedException or TimeoutException)
        {
            logger.LogWarning("Pull from {Host}/{Database} for {Tenant}/{UseCase} failed: {Reason}",
                source.Host, source.Database, tenantSlug, useCase, SqlSource.Reason(ex));
            return Result<DataSourcePull>.Invalid("Query", $"The pull failed: {SqlSource.Reason(ex)}");
        }

        logger.LogInformation("Pulled {Rows} rows from {Host}/{Database} for {Tenant}/{UseCase}", rows, source.Host, source.Database, tenantSlug, useCase);
        if (rows == 0)
        {
            return Result<DataSourcePull>.Ok(new DataSourcePull(false,
                source.LastWatermark is null ? "The query returned no rows." : $"No rows after {source.WatermarkColumn} {source.LastWatermark}.", null));
        }

        scratch.Position = 0;
        var fileName = $"sql-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}.csv";
        var created = await datasets.CreateVersionAsync(tenantSlug, useCase, fileName, scratch, actor, DatasetSourceKinds.Sql, ct);
        if (!created.IsOk)
        {
            return Failed(created);
        }

        await UpdateAsync(source.Id, s => s.LastWatermark = newWatermark ?? s.LastWatermark, ct);
        return Result<DataSourcePull>.Ok(new DataSourcePull(!created.Value!.Reused, $"Pulled {rows:N0} rows.", created.Value));
    }

    private static async Task<string> WatermarkTypeAsync(NpgsqlConnection db, DataSource source, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SqlSource.Probe(source.Query!), db);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return reader.GetDataTypeName(reader.GetOrdinal(source.WatermarkColumn!));
    }

    private async Task<Result<DataSourcePull>> PullPathAsync(string tenantSlug, string useCase, DataSource source, string actor, CancellationToken ct)
    {
        var root = PathSource.RootOf(source.PathPattern!, options.Value.DataSources.AllowedPathRoots);
        if (root is null)
        {
            return Result<DataSourcePull>.Invalid("Path", "The path is no longer under a folder an operator allowed for path sources.");
        }

        var newest = PathSource.Matches(source.PathPattern!, root).FirstOrDefault();
        if (newest is null)
        {
            return Result<DataSourcePull>.Ok(new DataSourcePull(false, $"No file matches '{source.PathPattern}'.", null));
        }

        if (newest.FullName == source.LastFile && newest.LastWriteTimeUtc == source.LastFileWrittenAt)
        {
            return Result<DataSourcePull>.Ok(new DataSourcePull(false, $"The newest file, '{newest.Name}', was pulled already.", null));
        }

        FileStream? file;
        try
        {
            file = PathSource.OpenConfined(newest, root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The exception's text holds the server path; the user gets the file's name only.
            logger.LogWarning("Path source file {File} for {Tenant}/{UseCase} could not be opened: {Reason}", newest.FullName, tenantSlug, useCase, ex.Message);
            return Result<DataSourcePull>.Invalid("Path", $"'{newest.Name}' could not be read: it was moved or removed, or the server may not read it.");
        }

        if (file is null)
        {
            return Result<DataSourcePull>.Invalid("Path", $"'{newest.Name}' leads outside the allowed folders (a symbolic link) and is not read.");
        }

        Result<CreatedDatasetVersion> created;
        await using (file)
        {
            created = await datasets.CreateVersionAsync(tenantSlug, useCase, newest.Name, file, actor, DatasetSourceKinds.Path, ct);
        }

        if (!created.IsOk)
        {
            return Failed(created);
        }

        await UpdateAsync(source.Id, s => (s.LastFile, s.LastFileWrittenAt) = (newest.FullName, newest.LastWriteTimeUtc), ct);
        return Result<DataSourcePull>.Ok(new DataSourcePull(!created.Value!.Reused, $"Pulled '{newest.Name}'.", created.Value));
    }

    private static Result<DataSourcePull> Failed(Result<CreatedDatasetVersion> failed) => failed.Status switch
    {
        ResultStatus.NotFound => Result<DataSourcePull>.NotFound(failed.Message!),
        ResultStatus.TooLarge => Result<DataSourcePull>.TooLarge("File", failed.Message!),
        _ => Result<DataSourcePull>.Invalid(failed.Errors.Aggregate(new ValidationErrors(),
            (all, e) => e.Value.Aggregate(all, (a, m) => a.Add(e.Key, m)))),
    };

    /// <summary>Replaces the enrollment's source: a new setting starts from scratch (no watermark, no last file).</summary>
    private async Task<Result<DataSourceView>> SaveAsync(Enrollment enrollment, string actor, Action<DataSource> set, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Clock.UtcNow(time);
        var source = await db.DataSources.FirstOrDefaultAsync(s => s.EnrollmentId == enrollment.Id, ct);
        if (source is null)
        {
            source = new DataSource { Id = Guid.NewGuid(), EnrollmentId = enrollment.Id, Kind = "", CreatedAt = now, CreatedBy = actor };
            db.DataSources.Add(source);
        }

        source.ProtectedConnectionString = source.Host = source.Database = source.Username = null;
        source.Query = source.WatermarkColumn = source.LastWatermark = source.PathPattern = source.LastFile = null;
        source.LastFileWrittenAt = null;
        set(source);
        source.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Result<DataSourceView>.Conflict("Kind", "The source was changed at the same time by someone else; try again.");
        }

        logger.LogInformation("{Actor} set the {Kind} source of {Tenant}/{UseCase} (host {Host}, database {Database})",
            actor, source.Kind, enrollment.Tenant!.Slug, enrollment.UseCase!.Key, source.Host, source.Database);
        return Result<DataSourceView>.Ok(DataSourceView.From(source));
    }

    private async Task UpdateAsync(Guid id, Action<DataSource> update, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var source = await db.DataSources.FirstAsync(s => s.Id == id, ct);
        update(source);
        source.UpdatedAt = Clock.UtcNow(time);
        await db.SaveChangesAsync(ct);
    }

    private async Task<DataSource?> FindSourceAsync(string tenantSlug, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DataSources.AsNoTracking()
            .FirstOrDefaultAsync(s => s.Enrollment!.Tenant!.Slug == tenantSlug && s.Enrollment.UseCase!.Key == useCase, ct);
    }

    private async Task<Enrollment?> FindEnrollmentAsync(string tenantSlug, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Enrollments.AsNoTracking().Include(e => e.Tenant).Include(e => e.UseCase)
            .FirstOrDefaultAsync(e => e.Tenant!.Slug == tenantSlug && e.UseCase!.Key == useCase, ct);
    }

    private static Result<T> NotEnrolled<T>(string tenantSlug, string useCase) =>
        Result<T>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
}
