using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Data;

/// <summary>Builds a context for "dotnet ef" in the migrations projects; CONTROLPLANE_EF_PROVIDER picks the provider.</summary>
public static class DesignTimeContext
{
    public static ControlPlaneDbContext Create(DatabaseProvider provider)
    {
        var settings = new ControlPlaneOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "controlplane-design"),
            Database = new DatabaseOptions
            {
                Provider = provider,
                ConnectionString = provider == DatabaseProvider.Postgres ? "Host=localhost;Database=controlplane_design" : null,
            },
        };
        var builder = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        DatabaseSetup.Configure(builder, settings);
        return new ControlPlaneDbContext(builder.Options);
    }
}
