using ControlPlane.Core;
using ControlPlane.Executor;
using ControlPlane.Executor.Definitions;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>A pipeline definition with a cycle stops the app at start-up, naming the cycle, whatever the node's role.</summary>
/// <remarks>
/// The host is composed as Program.cs composes it rather than through WebApplicationFactory, whose deferred host
/// sometimes reports a failed start as "Cannot access a disposed object" instead of the start's own exception.
/// </remarks>
public abstract class StartupValidationTests<TProvider> where TProvider : IProviderKind
{
    [Theory]
    [InlineData("All")]
    [InlineData("Web")]
    public async Task A_cyclic_pipeline_definition_stops_the_app_at_start_up_naming_the_cycle(string role)
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("cp-startup-").FullName;
        try
        {
            await StartWithCyclicPipelineAsync(database, data, role);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task StartWithCyclicPipelineAsync(ITestDatabase database, string data, string role)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = data });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlPlane:Database:Provider"] = database.Provider.ToString(),
            ["ControlPlane:Database:ConnectionString"] = database.ConnectionString,
            ["ControlPlane:DataDirectory"] = data,
            ["ControlPlane:Executor:NodeRole"] = role,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "None",
        });
        builder.AddControlPlaneCore();
        builder.AddControlPlaneExecutor();
        builder.AddControlPlaneWeb();
        // A factory, so the definition is built when the app resolves the catalog rather than while services are registered.
        builder.Services.AddSingleton(_ => Pipeline.Define("looping", p => p
            .Task("ingest", _ => Task.CompletedTask).After("score")
            .Task("train", _ => Task.CompletedTask).After("ingest")
            .Task("score", _ => Task.CompletedTask).After("train")));
        await using var app = builder.Build();

        var error = await Record.ExceptionAsync(() => app.StartAsync());

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error));
        Assert.True(messages.Contains("Pipeline 'looping' has a cycle: ingest → train → score → ingest.", StringComparison.Ordinal), error.ToString());
    }

    private static IEnumerable<string> Flatten(Exception error) => error switch
    {
        AggregateException all => all.InnerExceptions.SelectMany(Flatten).Prepend(all.Message),
        { InnerException: { } inner } => Flatten(inner).Prepend(error.Message),
        _ => [error.Message],
    };
}

public sealed class StartupValidationTestsOnSqlite : StartupValidationTests<Sqlite>;

public sealed class StartupValidationTestsOnPostgres : StartupValidationTests<Postgres>;
