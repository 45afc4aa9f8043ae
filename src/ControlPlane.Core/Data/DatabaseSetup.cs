using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Data;

/// <summary>Chooses the EF Core provider at run time, each with its own migrations assembly.</summary>
public static class DatabaseSetup
{
    public const string SqliteMigrations = "ControlPlane.Migrations.Sqlite";
    public const string PostgresMigrations = "ControlPlane.Migrations.Postgres";

    private static readonly SqlitePragmas Pragmas = new();

    public static void Configure(DbContextOptionsBuilder options, ControlPlaneOptions settings)
    {
        var db = settings.Database;
        switch (db.Provider)
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(db.ConnectionString))
                {
                    throw new InvalidOperationException(
                        "ControlPlane:Database:ConnectionString is required when ControlPlane:Database:Provider is Postgres.");
                }

                options.UseNpgsql(db.ConnectionString, o => o.MigrationsAssembly(PostgresMigrations));
                break;
            default:
                options.UseSqlite(SqliteConnectionString(settings), o => o.MigrationsAssembly(SqliteMigrations))
                    .AddInterceptors(Pragmas);
                break;
        }
    }

    public static string SqliteConnectionString(ControlPlaneOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Database.ConnectionString))
        {
            return settings.Database.ConnectionString;
        }

        var folder = Path.GetFullPath(settings.DataDirectory);
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "controlplane.db")};Pooling=True";
    }
}
