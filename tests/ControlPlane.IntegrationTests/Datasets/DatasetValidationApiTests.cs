using System.Net;
using System.Net.Http.Headers;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Datasets;

public abstract class DatasetValidationApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task An_upload_the_rules_cannot_map_is_stored_blocked_with_its_report_and_passes_once_the_rules_map_it()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        // The generator spells columns per tenant; about one name in twenty spells the key exactly as the use case does,
        // and that data would not miss it. Take the first spelling that does not, from fixed names: the same data every run.
        var dataset = Enumerable.Range(0, 100).Select(i => DemoFile($"blocked-spelling-{i}", rows: 500))
            .First(d => d.Columns.All(c => c.RawName != "account_id"));

        var created = await (await UploadAsync(admin, slug, Csv(dataset), "accounts.csv")).ReadNodeAsync();

        Assert.Equal("blocked", created["version"]!["validationOutcome"]!.GetValue<string>());
        var details = await (await admin.GetAsync($"{Url(slug)}/1")).ReadNodeAsync();
        var report = details["validation"]!;
        Assert.Equal("blocked", report["outcome"]!.GetValue<string>());
        Assert.Equal(500, report["rows"]!.GetValue<long>());
        var missing = report["issues"]!.AsArray().Where(i => i!["code"]!.GetValue<string>() == "columns.missing").ToArray();
        Assert.Contains(missing, i => i!["message"]!.GetValue<string>() == "Column 'account_id' (entity key) is not in the dataset.");
        // Every column the rules read and the data lacks blocks; a column the generator happened to spell as the use case
        // does is checked like any other, and may only warn.
        Assert.All(missing, i => Assert.Equal("Blocking", i!["severity"]!.GetValue<string>()));
        Assert.Equal("blocked", (await (await admin.GetAsync(Url(slug))).ReadNodeAsync())[0]!["validationOutcome"]!.GetValue<string>());

        var mapped = await DemoRuleSet.ForAsync(dataset);
        var rulesVersion = await App.WithDbAsync(db => DemoRules.SaveAsync(db, slug, UseCase, mapped));
        var stale = await (await admin.GetAsync($"{Url(slug)}/1")).ReadNodeAsync();
        Assert.Equal((0, rulesVersion, true), (stale["validation"]!["rulesVersion"]!.GetValue<int>(), stale["currentRulesVersion"]!.GetValue<int>(), stale["validationIsStale"]!.GetValue<bool>()));
        var revalidated = await admin.PostAsync($"{Url(slug)}/1/validate", null);

        Assert.Equal(HttpStatusCode.OK, revalidated.StatusCode);
        var fresh = await revalidated.ReadNodeAsync();
        Assert.NotEqual("blocked", fresh["outcome"]!.GetValue<string>());
        Assert.Equal(rulesVersion, fresh["rulesVersion"]!.GetValue<int>());
        Assert.Contains(fresh["passed"]!.AsArray(), p => p!["code"]!.GetValue<string>() == "label.invalid");
        var stored = await App.WithDbAsync(db => db.DatasetVersions.SingleAsync(v => v.Enrollment!.Tenant!.Slug == slug));
        Assert.Equal(fresh["outcome"]!.GetValue<string>(), stored.ValidationOutcome);
        Assert.Contains($"\"rulesVersion\":{rulesVersion}", stored.ValidationJson);
        var current = await (await admin.GetAsync($"{Url(slug)}/1")).ReadNodeAsync();
        Assert.Equal((rulesVersion, rulesVersion, false), (current["validation"]!["rulesVersion"]!.GetValue<int>(), current["currentRulesVersion"]!.GetValue<int>(), current["validationIsStale"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task The_time_range_comes_from_the_column_the_rules_map_the_event_time_to()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        // The point is a tenant whose event-time column is not named as the use case names it: take the first spelling
        // the generator gives that way (about one in twenty spells it the same), from fixed names: the same data every run.
        var dataset = Enumerable.Range(0, 100).Select(i => DemoFile($"event-time-spelling-{i}", rows: 400))
            .First(d => d.EventTime.RawName != d.EventTime.CanonicalName);
        var mapped = await DemoRuleSet.ForAsync(dataset);
        await App.WithDbAsync(db => DemoRules.SaveAsync(db, slug, UseCase, mapped));

        var created = await (await UploadAsync(admin, slug, Csv(dataset), "accounts.csv")).ReadNodeAsync();

        var from = created["version"]!["timeFrom"]!.GetValue<DateTime>();
        var to = created["version"]!["timeTo"]!.GetValue<DateTime>();
        Assert.InRange(from, dataset.StartUtc, dataset.EndUtc);
        Assert.InRange(to, from, dataset.EndUtc);
        Assert.True(to - from > TimeSpan.FromDays(30), $"{from:O} .. {to:O} should span most of the generated range.");
    }

    [Fact]
    public async Task Type_overrides_at_upload_are_kept_in_the_schema_next_to_the_inferred_type()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "eu");
        var dataset = DemoFile(slug, rows: 300);
        var seats = dataset.Column("seats").RawName;

        var response = await UploadWithTypesAsync(admin, slug, Csv(dataset), "accounts.csv", $"{{\"{seats}\":\"category\"}}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var details = await (await admin.GetAsync($"{Url(slug)}/1")).ReadNodeAsync();
        var column = details["schema"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == seats)!;
        Assert.Equal(("Category", "Number", true), (column["type"]!.GetValue<string>(), column["inferredType"]!.GetValue<string>(), column["overridden"]!.GetValue<bool>()));
        var plan = details["schema"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == dataset.Column("plan").RawName)!;
        Assert.False(plan["overridden"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_type_overrides_are_refused_naming_the_field_and_nothing_is_stored()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var bytes = Csv(DemoFile(slug, rows: 200));

        var badType = await UploadWithTypesAsync(admin, slug, bytes, "a.csv", "{\"Seats\":\"integer\"}");
        var badJson = await UploadWithTypesAsync(admin, slug, bytes, "a.csv", "[\"Seats\"]");
        var unknown = await UploadWithTypesAsync(admin, slug, bytes, "a.csv", "{\"Zip Code\":\"category\"}");

        foreach (var response in new[] { badType, badJson, unknown }) Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Column 'Seats' has type \"integer\", which is not one of number, category, text, boolean, datetime.",
            Assert.Single((await badType.ReadNodeAsync()).FieldErrors("types")));
        Assert.StartsWith("The type overrides must be a JSON object", Assert.Single((await badJson.ReadNodeAsync()).FieldErrors("types")));
        Assert.StartsWith("The type overrides name a column that file 'a.csv' does not have: 'Zip Code'.",
            Assert.Single((await unknown.ReadNodeAsync()).FieldErrors("types")));
        Assert.Equal(0, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(Prefix(slug)));
    }

    [Fact]
    public async Task The_same_bytes_with_other_types_are_a_conflict_not_a_silent_reuse()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var dataset = DemoFile(slug, rows: 200);
        var bytes = Csv(dataset);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(admin, slug, bytes, "a.csv")).StatusCode);

        var retyped = await UploadWithTypesAsync(admin, slug, bytes, "a.csv", $"{{\"{dataset.Column("seats").RawName}\":\"text\"}}");
        var same = await UploadWithTypesAsync(admin, slug, bytes, "a.csv", $"{{\"{dataset.Column("seats").RawName}\":\"number\"}}");

        Assert.Equal(HttpStatusCode.Conflict, retyped.StatusCode);
        Assert.Contains("is already version 1", Assert.Single((await retyped.ReadNodeAsync()).FieldErrors("types")));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadWithTypesAsync(HttpClient client, string slug, byte[] bytes, string fileName, string types)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(types), "types");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync(Url(slug), form);
    }
}

public sealed class DatasetValidationApiTestsOnSqlite(AppFixture<Sqlite> fixture) : DatasetValidationApiTests<Sqlite>(fixture);

public sealed class DatasetValidationApiTestsOnPostgres(AppFixture<Postgres> fixture) : DatasetValidationApiTests<Postgres>(fixture);
