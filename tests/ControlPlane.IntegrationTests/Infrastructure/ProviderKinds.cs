namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>Marker types that let one test class run once per database provider.</summary>
public interface IProviderKind
{
    static abstract Task<ITestDatabase> CreateDatabaseAsync();
}

public sealed class Sqlite : IProviderKind
{
    public static Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(new SqliteTestDatabase());
}

public sealed class Postgres : IProviderKind
{
    public static async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
