using System.Net;
using System.Text.RegularExpressions;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.Web.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>Issue 16, point 9: a query value the API cannot read is a 400 naming the parameter and what it takes; enums ignore case.</summary>
public abstract partial class FieldErrorTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Enum_values_in_query_strings_ignore_case_and_a_wrong_one_lists_the_allowed_values()
    {
        using var admin = App.CreateAdminClient();

        var lower = await admin.GetAsync("/api/v1/runs?state=failed");
        var upper = await admin.GetAsync("/api/v1/runs?state=FAILED");
        var wrong = await admin.GetAsync("/api/v1/runs?state=broken");

        Assert.Equal(HttpStatusCode.OK, lower.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await wrong.ReadNodeAsync()).FieldErrors("state"));
        Assert.StartsWith("'broken' is not one of Queued, Running, Succeeded, Failed, Cancelled", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_api_query_parameter_of_a_simple_type_answers_an_unreadable_value_with_a_400_naming_it()
    {
        using var admin = App.CreateAdminClient();
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => (Endpoint: e, Parameters: QueryValues.ParametersOf(e)))
            .Where(e => e.Parameters.Count > 0)
            .ToList();
        Assert.True(endpoints.Count >= 8, $"only {endpoints.Count} GET endpoints with typed query parameters found");

        var checkedParameters = 0;
        foreach (var (endpoint, parameters) in endpoints)
        {
            var path = RouteValue().Replace(endpoint.RoutePattern.RawText!, m => m.Groups["constraint"].Value switch
            {
                "int" => "1",
                "guid" => Guid.Empty.ToString(),
                _ => "x",
            });
            foreach (var (name, type) in parameters)
            {
                var response = await admin.GetAsync($"{path}?{name}=not-a-value");

                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}?{name} ({type.Name}) answered {(int)response.StatusCode}");
                var errors = (await response.ReadNodeAsync()).FieldErrors(name);
                Assert.True(errors.Length == 1 && errors[0].StartsWith("'not-a-value' is not", StringComparison.Ordinal), $"{path}?{name}: {string.Join(" ", errors)}");
                checkedParameters++;
            }
        }

        Assert.True(checkedParameters >= 10, $"{checkedParameters} parameters checked");
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:(?<constraint>\w+))?\}")]
    private static partial Regex RouteValue();
}

public sealed class FieldErrorTestsOnSqlite(AppFixture<Sqlite> fixture) : FieldErrorTests<Sqlite>(fixture);

public sealed class FieldErrorTestsOnPostgres(AppFixture<Postgres> fixture) : FieldErrorTests<Postgres>(fixture);
