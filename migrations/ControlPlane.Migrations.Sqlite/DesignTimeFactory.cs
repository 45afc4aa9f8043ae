using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlPlane.Migrations.Sqlite;

public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ControlPlaneDbContext>
{
    public ControlPlaneDbContext CreateDbContext(string[] args) => DesignTimeContext.Create(DatabaseProvider.Sqlite);
}
