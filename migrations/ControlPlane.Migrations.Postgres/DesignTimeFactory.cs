using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlPlane.Migrations.Postgres;

public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ControlPlaneDbContext>
{
    public ControlPlaneDbContext CreateDbContext(string[] args) => DesignTimeContext.Create(DatabaseProvider.Postgres);
}
