using ControlPlane.Core.Data;
using Npgsql;

namespace ControlPlane.UnitTests.Options;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Pooled_connections_are_not_reset_and_statements_are_prepared_unless_the_string_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Username=cp;Password=s3cret;Database=cp"));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(("db", "cp", "s3cret"), (tuned.Host, tuned.Username, tuned.Password));

        var kept = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;No Reset On Close=false;Max Auto Prepare=0"));

        Assert.False(kept.NoResetOnClose);
        Assert.Equal(0, kept.MaxAutoPrepare);
    }
}
