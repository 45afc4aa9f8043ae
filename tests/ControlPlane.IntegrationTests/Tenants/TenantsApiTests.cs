using System.Net;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Tenants;

public abstract class TenantsApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Creating_a_tenant_returns_its_key_once_and_stores_only_the_hash()
    {
        var slug = TestSlugs.New("acme");
        using var admin = App.CreateAdminClient();

        var response = await admin.PostJsonAsync("/api/v1/tenants",
            new { name = "Acme Corp", slug, region = "eu", useCases = new[] { "churn-risk", "lead-scoring" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/tenants/{slug}", response.Headers.Location?.OriginalString);
        var body = await response.ReadNodeAsync();
        var key = body["apiKey"]!.GetValue<string>();
        Assert.StartsWith("cpk_", key, StringComparison.Ordinal);
        Assert.Equal("eu", body["tenant"]!["region"]!.GetValue<string>());
        Assert.Equal(["churn-risk", "lead-scoring"], body["tenant"]!["enrollments"]!.AsArray().Select(e => e!["useCase"]!.GetValue<string>()));

        var stored = await App.WithDbAsync(db => db.TenantApiKeys.Where(k => k.Tenant!.Slug == slug).ToListAsync());
        var row = Assert.Single(stored);
        Assert.NotEqual(key, row.Hash);
        Assert.DoesNotContain(row.Hash, key, StringComparison.Ordinal);
        Assert.Equal(64, row.Hash.Length);

        var details = await (await admin.GetAsync($"/api/v1/tenants/{slug}")).ReadNodeAsync();
        Assert.DoesNotContain(key, details.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad_Slug", "Slug")]
    [InlineData("-leading-hyphen", "Slug")]
    [InlineData("ab", "Slug")]
    public async Task Malformed_slug_is_a_problem_naming_the_slug_and_stores_nothing(string slug, string field)
    {
        using var admin = App.CreateAdminClient();
        var before = await App.WithDbAsync(db => db.Tenants.CountAsync());

        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = "Bad", slug, region = "us" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadNodeAsync();
        Assert.Contains(problem.FieldErrors(field), m => m.Contains(slug, StringComparison.Ordinal) || m.Contains("characters", StringComparison.Ordinal));
        Assert.Equal(before, await App.WithDbAsync(db => db.Tenants.CountAsync()));
    }

    [Fact]
    public async Task Missing_fields_and_unknown_region_and_use_case_are_each_named()
    {
        using var admin = App.CreateAdminClient();

        var missing = await (await admin.PostJsonAsync("/api/v1/tenants", new { })).ReadNodeAsync();
        Assert.Contains("Name is required.", missing.FieldErrors("Name"));
        Assert.Contains("Slug is required.", missing.FieldErrors("Slug"));
        Assert.NotEmpty(missing.FieldErrors("Region"));

        var response = await admin.PostJsonAsync("/api/v1/tenants",
            new { name = "Mars", slug = TestSlugs.New(), region = "mars", useCases = new[] { "no-such-use-case" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadNodeAsync();
        Assert.Contains(problem.FieldErrors("Region"), m => m.Contains("'mars' is unknown", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("UseCases"), m => m.Contains("'no-such-use-case' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_slug_is_a_conflict_naming_the_slug()
    {
        var slug = TestSlugs.New("dup");
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/api/v1/tenants", new { name = "One", slug, region = "us" })).StatusCode);

        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = "Two", slug, region = "eu" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadNodeAsync();
        Assert.Contains($"A tenant with slug '{slug}' already exists.", problem.FieldErrors("Slug"));
        Assert.Equal("One", await App.WithDbAsync(db => db.Tenants.Where(t => t.Slug == slug).Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request()
    {
        using var admin = App.CreateAdminClient();
        using var content = new StringContent("{\"name\": \"x\", ", System.Text.Encoding.UTF8, "application/json");

        var response = await admin.PostAsync("/api/v1/tenants", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task List_searches_sorts_and_pages_on_the_server()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        using var admin = App.CreateAdminClient();
        foreach (var (name, region) in new[] { ("Zeta", "us"), ("Alpha", "eu"), ("Mike", "us") })
        {
            var created = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"{name} {marker}", slug = $"{name.ToLowerInvariant()}-{marker}", region });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var page = await (await admin.GetAsync($"/api/v1/tenants?search={marker.ToUpperInvariant()}&sort=Name&pageSize=2")).ReadNodeAsync();
        Assert.Equal(3, page["totalCount"]!.GetValue<int>());
        Assert.Equal([$"Alpha {marker}", $"Mike {marker}"], page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));

        var second = await (await admin.GetAsync($"/api/v1/tenants?search={marker}&sort=Name&desc=true&page=1&pageSize=2")).ReadNodeAsync();
        Assert.Equal([$"Alpha {marker}"], second["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));

        var eu = await (await admin.GetAsync($"/api/v1/tenants?search={marker}&region=eu")).ReadNodeAsync();
        Assert.Equal(1, eu["totalCount"]!.GetValue<int>());

        var tooBig = await admin.GetAsync("/api/v1/tenants?pageSize=1000");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.NotEmpty((await tooBig.ReadNodeAsync()).FieldErrors("pageSize"));
    }

    [Fact]
    public async Task Rotating_keeps_the_old_key_working_for_the_overlap_then_not_and_revoked_keys_no_longer_authenticate()
    {
        var slug = TestSlugs.New("keys");
        using var admin = App.CreateAdminClient();
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Keys", slug, region = "us" })).ReadNodeAsync();
        var firstKey = created["apiKey"]!.GetValue<string>();
        Assert.Equal(slug, (await AuthenticateAsync(firstKey))?.Slug);

        // Out of bounds: refused naming the field, no key issued.
        foreach (var bad in new[] { "-1", "721", "NaN" })
        {
            var refused = await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate?overlapHours={bad}", null);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.NotEmpty((await refused.ReadNodeAsync()).FieldErrors("overlapHours"));
        }
        Assert.Single((await (await admin.GetAsync($"/api/v1/tenants/{slug}")).ReadNodeAsync())["apiKeys"]!.AsArray());

        // The default overlap (24 h): both keys work; the old one says until when.
        var before = DateTime.UtcNow;
        var rotated = await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate", null);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var secondKey = (await rotated.ReadNodeAsync())["apiKey"]!.GetValue<string>();
        Assert.Equal(slug, (await AuthenticateAsync(firstKey))?.Slug);
        Assert.Equal(slug, (await AuthenticateAsync(secondKey))?.Slug);
        var keys = (await (await admin.GetAsync($"/api/v1/tenants/{slug}")).ReadNodeAsync())["apiKeys"]!.AsArray();
        var old = keys.Single(k => k!["expiresAt"] is not null)!;
        Assert.InRange(old["expiresAt"]!.GetValue<DateTime>().ToUniversalTime(), before.AddHours(24).AddMinutes(-1), DateTime.UtcNow.AddHours(24).AddMinutes(1));

        // Once its overlap has passed, the old key is refused (a node's remembered copy too, at its next sweep).
        await App.WithDbAsync(async db =>
        {
            var row = await db.TenantApiKeys.SingleAsync(k => k.ExpiresAt != null && k.Tenant!.Slug == slug);
            row.ExpiresAt = DateTime.UtcNow.AddSeconds(-1);
            return await db.SaveChangesAsync();
        });
        Assert.Null(await AuthenticateAsync(firstKey));
        Assert.Equal(slug, (await AuthenticateAsync(secondKey))?.Slug);

        // Overlap 0: the old key is revoked at once.
        var third = await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate?overlapHours=0", null);
        var thirdKey = (await third.ReadNodeAsync())["apiKey"]!.GetValue<string>();
        Assert.Null(await AuthenticateAsync(secondKey));
        Assert.Equal(slug, (await AuthenticateAsync(thirdKey))?.Slug);

        var keyId = (await (await admin.GetAsync($"/api/v1/tenants/{slug}")).ReadNodeAsync())["apiKeys"]!.AsArray()
            .Single(k => k!["revokedAt"] is null && k["expiresAt"] is null)!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/tenants/{slug}/api-keys/{keyId}")).StatusCode);
        Assert.Null(await AuthenticateAsync(thirdKey));
        Assert.Null(await AuthenticateAsync(thirdKey[..^1] + (thirdKey[^1] == 'a' ? 'b' : 'a')));
    }

    [Fact]
    public async Task Offboarding_needs_confirmation_then_removes_rows_and_region_files()
    {
        var slug = TestSlugs.New("bye");
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Created,
            (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Bye", slug, region = "eu", useCases = new[] { "churn-risk" } })).StatusCode);
        var store = App.Regions.StoreFor("eu");
        await store.WriteAsync($"{ArtifactPath.TenantRoot(slug)}models/m1.zip", new MemoryStream([1, 2, 3]));

        var unconfirmed = await admin.DeleteAsync($"/api/v1/tenants/{slug}");
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.NotEmpty((await unconfirmed.ReadNodeAsync()).FieldErrors("Confirm"));
        Assert.True(await store.ExistsAsync($"{ArtifactPath.TenantRoot(slug)}models/m1.zip"));

        var response = await admin.DeleteAsync($"/api/v1/tenants/{slug}?confirm={slug}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadNodeAsync();
        Assert.Equal(1, report["filesDeleted"]!.GetValue<int>());
        Assert.Equal(1, report["enrollmentsRemoved"]!.GetValue<int>());
        Assert.Empty(await store.ListAsync(ArtifactPath.TenantRoot(slug)));
        Assert.False(await App.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Slug == slug)));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}")).StatusCode);
    }

    [Fact]
    public async Task Enrolling_adds_a_use_case_once()
    {
        var slug = TestSlugs.New("enr");
        using var admin = App.CreateAdminClient();
        await admin.PostJsonAsync("/api/v1/tenants", new { name = "Enr", slug, region = "us" });

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/ticket-routing", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/ticket-routing", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/nope", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/tenants/no-such-tenant/use-cases/churn-risk", null)).StatusCode);
    }

    private Task<Core.Tenants.Tenant?> AuthenticateAsync(string key) =>
        App.WithScopeAsync(sp => sp.GetRequiredService<TenantService>().AuthenticateKeyAsync(key));
}

public sealed class TenantsApiTestsOnSqlite(AppFixture<Sqlite> fixture) : TenantsApiTests<Sqlite>(fixture);

public sealed class TenantsApiTestsOnPostgres(AppFixture<Postgres> fixture) : TenantsApiTests<Postgres>(fixture);
