using ControlPlane.ML;
using System.Net;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.UseCases;

public abstract class UseCasesApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Built_in_use_cases_are_listed_with_their_columns()
    {
        using var admin = App.CreateAdminClient();
        var list = (await (await admin.GetAsync("/api/v1/use-cases")).ReadNodeAsync()).AsArray();
        var lead = list.Single(u => u!["key"]!.GetValue<string>() == "lead-scoring")!;
        Assert.Equal("Binary", lead["taskType"]!.GetValue<string>());
        Assert.Equal("converted", lead["labelColumn"]!.GetValue<string>());
        Assert.Equal("lead_id", lead["entityKeyColumn"]!.GetValue<string>());
        Assert.Equal("created_at", lead["eventTimeColumn"]!.GetValue<string>());
        Assert.True(lead["features"]!.AsArray().Count >= 5);
        Assert.Equal("Regression", list.Single(u => u!["key"]!.GetValue<string>() == "resolution-time")!["taskType"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_use_case_is_validated_field_by_field_then_created_once()
    {
        using var admin = App.CreateAdminClient();
        var invalid = await admin.PostJsonAsync("/api/v1/use-cases", new
        {
            key = "Bad Key", name = "", labelColumn = "1label", entityKeyColumn = "id",
            features = new[] { new { name = "id", type = "Number" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.ReadNodeAsync();
        Assert.NotEmpty(problem.FieldErrors("Key"));
        Assert.NotEmpty(problem.FieldErrors("Name"));
        Assert.NotEmpty(problem.FieldErrors("TaskType"));
        Assert.NotEmpty(problem.FieldErrors("LabelColumn"));
        Assert.Contains(problem.FieldErrors("Features[0].Name"), m => m.Contains("twice", StringComparison.Ordinal));

        var key = TestSlugs.New("upsell");
        var body = new
        {
            key, name = "Upsell propensity", taskType = "Binary", labelColumn = "upsold", entityKeyColumn = "account_id", eventTimeColumn = "as_of",
            features = new[] { new { name = "seats", type = "Number" }, new { name = "plan", type = "Category" } },
        };
        var created = await admin.PostJsonAsync("/api/v1/use-cases", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False((await created.ReadNodeAsync())["isBuiltIn"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJsonAsync("/api/v1/use-cases", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/use-cases/{key}")).StatusCode);
    }
}

public sealed class UseCasesApiTestsOnSqlite(AppFixture<Sqlite> fixture) : UseCasesApiTests<Sqlite>(fixture);

public sealed class UseCasesApiTestsOnPostgres(AppFixture<Postgres> fixture) : UseCasesApiTests<Postgres>(fixture);
