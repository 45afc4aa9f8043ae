using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>Issue 16, point 7: feedback is an upsert by entity and moment; POSTs that start work honour an Idempotency-Key.</summary>
public abstract class IdempotencyTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = "churn-risk";
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_same_outcome_posted_twice_is_recorded_once_and_a_new_label_replaces_the_old()
    {
        var (slug, client) = await TenantKeyClientAsync();
        var url = $"/api/v1/feedback/{slug}/{UseCase}";
        static StringContent Body(string label, params string[] keys) => new(new JsonObject
        {
            ["outcomes"] = new JsonArray(keys.Select(k => (JsonNode)new JsonObject { ["entityKey"] = k, ["label"] = label, ["occurredAt"] = "2026-11-20T09:30:00.1234567Z" }).ToArray()),
        }.ToJsonString(), Encoding.UTF8, "application/json");

        var first = await (await client.PostAsync(url, Body("true", "A1", "A2"))).ReadNodeAsync();
        var again = await (await client.PostAsync(url, Body("true", "A1", "A2"))).ReadNodeAsync();
        var changed = await (await client.PostAsync(url, Body("false", "A1", "A1"))).ReadNodeAsync(); // a repeat within one request too

        Assert.Equal((2, 0), (first["recorded"]!.GetValue<int>(), first["replaced"]!.GetValue<int>()));
        Assert.Equal((2, 2), (again["recorded"]!.GetValue<int>(), again["replaced"]!.GetValue<int>()));
        Assert.Equal((1, 1), (changed["recorded"]!.GetValue<int>(), changed["replaced"]!.GetValue<int>()));
        var stored = await App.WithDbAsync(db => db.Outcomes.Where(o => db.Enrollments.Any(e => e.Id == o.EnrollmentId && e.Tenant!.Slug == slug))
            .OrderBy(o => o.EntityKey).Select(o => new { o.EntityKey, o.Label }).ToListAsync());
        Assert.Equal(["A1:false", "A2:true"], stored.Select(o => $"{o.EntityKey}:{o.Label}"));
    }

    [Fact]
    public async Task A_post_that_starts_a_run_sent_twice_with_one_key_starts_one_run_and_replays_the_answer()
    {
        using var admin = App.CreateAdminClient();
        var key = Guid.NewGuid().ToString();
        var since = await App.WithDbAsync(db => db.PipelineRuns.Select(r => (DateTime?)r.CreatedAt).MaxAsync()) ?? DateTime.MinValue;
        HttpRequestMessage Start(string body) => new(HttpMethod.Post, "/api/v1/runs")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", key } },
        };
        var body = new JsonObject { ["pipeline"] = "demo", ["parameters"] = new JsonObject { ["stepMs"] = "1" } }.ToJsonString();

        var first = await admin.SendAsync(Start(body));
        var second = await admin.SendAsync(Start(body));
        var otherBody = await admin.SendAsync(Start(body.Replace("\"1\"", "\"2\"", StringComparison.Ordinal)));
        var noKey = await admin.PostAsync("/api/v1/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadNodeAsync())["runId"]!.GetValue<Guid>(), (await second.ReadNodeAsync())["runId"]!.GetValue<Guid>());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Contains("another body", Assert.Single((await otherBody.ReadNodeAsync()).FieldErrors("Idempotency-Key")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, noKey.StatusCode);
        // The replay made no run: the first request's and the one without a key are all (tests of a class run one at a time).
        Assert.Equal(2, await App.WithDbAsync(db => db.PipelineRuns.CountAsync(r => r.Pipeline == "demo" && r.CreatedAt > since)));
    }

    [Fact]
    public async Task A_key_is_the_callers_own_and_a_bad_key_is_a_400()
    {
        using var admin = App.CreateAdminClient();
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = $"idem-{Guid.NewGuid():N}"[..20], role = "Analyst" })).ReadNodeAsync();
        using var analyst = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Start(string idempotencyKey) => new(HttpMethod.Post, "/api/v1/runs")
        {
            Content = new StringContent("""{"pipeline":"demo","parameters":{"stepMs":"1"}}""", Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };

        var mine = await admin.SendAsync(Start(key));
        var theirs = await analyst.SendAsync(Start(key));
        var tooLong = await admin.SendAsync(Start(new string('k', 200)));

        Assert.Equal(HttpStatusCode.Accepted, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((await mine.ReadNodeAsync())["runId"]!.GetValue<Guid>(), (await theirs.ReadNodeAsync())["runId"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Single((await tooLong.ReadNodeAsync()).FieldErrors("Idempotency-Key"));
    }

    private async Task<(string Slug, HttpClient Client)> TenantKeyClientAsync()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("idem");
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Idem {slug}", slug, region = "us", useCases = new[] { UseCase } })).ReadNodeAsync();
        var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created["apiKey"]!.GetValue<string>());
        return (slug, client);
    }
}

public sealed class IdempotencyTestsOnSqlite(AppFixture<Sqlite> fixture) : IdempotencyTests<Sqlite>(fixture);

public sealed class IdempotencyTestsOnPostgres(AppFixture<Postgres> fixture) : IdempotencyTests<Postgres>(fixture);
