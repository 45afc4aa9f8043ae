using ControlPlane.Executor.Definitions;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>A pipeline definition with a cycle stops the app at start-up, naming the cycle, whatever the node's role.</summary>
public abstract class StartupValidationTests<TProvider> where TProvider : IProviderKind
{
    [Theory]
    [InlineData("All")]
    [InlineData("Web")]
    public async Task A_cyclic_pipeline_definition_stops_the_app_at_start_up_naming_the_cycle(string role)
    {
        await using var app = new ControlPlaneApp(await TProvider.CreateDatabaseAsync());
        app.Settings["ControlPlane:Executor:NodeRole"] = role;
        // A factory, so the definition is built when the app resolves the catalog rather than while services are registered.
        app.TestServices.Add(s => s.AddSingleton(_ => Pipeline.Define("looping", p => p
            .Task("ingest", _ => Task.CompletedTask).After("score")
            .Task("train", _ => Task.CompletedTask).After("ingest")
            .Task("score", _ => Task.CompletedTask).After("train"))));

        var error = Record.Exception(() => app.Server);

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error));
        Assert.Contains("Pipeline 'looping' has a cycle: ingest → train → score → ingest.", messages, StringComparison.Ordinal);
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
