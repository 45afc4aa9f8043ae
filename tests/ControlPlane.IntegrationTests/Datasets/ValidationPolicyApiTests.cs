using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Datasets;

/// <summary>
/// Issue 18: an upload made before the rules is judged again when they are saved, and an enrollment may get its own
/// emptiness limit with a reason (decision 0050) — refused naming the field when out of bounds, and nothing changes then.
/// </summary>
public abstract class ValidationPolicyApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string Reason = "the old CRM left this field empty before 2024";

    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Saving_rules_judges_the_newest_upload_again_and_an_own_limit_with_a_reason_lifts_the_emptiness_block()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var dataset = DemoFile(slug, rows: 600);
        var emptied = dataset.Columns.First(c => c.Role == DemoColumnRole.Feature);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(admin, slug, CsvWithEmpties(dataset, emptied.RawName, share: 0.6), "history.csv")).StatusCode);
        var policyUrl = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/validation-policy";

        // The rules map the tenant's spelling: the version made under the defaults is judged again by them at once.
        var rules = RuleJson.Write(await DemoRuleSet.ForAsync(dataset));
        var saved = await admin.PutAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/rules", new StringContent(rules, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var revalidated = (await saved.ReadNodeAsync())["revalidated"]!;
        Assert.Equal((1, "blocked"), (revalidated["datasetVersion"]!.GetValue<int>(), revalidated["outcome"]!.GetValue<string>()));
        // The days the version spans follow the event time the rules now map (none before).
        var version = (await (await admin.GetAsync(Url(slug))).ReadNodeAsync())[0]!;
        Assert.InRange(version["timeFrom"]!.GetValue<DateTime>().ToUniversalTime(), dataset.StartUtc.AddDays(-1), dataset.EndUtc);
        Assert.InRange(version["timeTo"]!.GetValue<DateTime>().ToUniversalTime(), dataset.StartUtc, dataset.EndUtc.AddDays(1));
        var blocking = await NullIssueAsync(admin, slug, emptied.RawName);
        Assert.Equal("Blocking", blocking["severity"]!.GetValue<string>());
        Assert.Contains("above the 50.0 % limit", blocking["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await (await admin.PutAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/rules",
            new StringContent(rules, Encoding.UTF8, "application/json"))).ReadNodeAsync())["revalidated"]);

        // Out of bounds or without a reason: 400 naming the field; nothing stored.
        var noReason = await admin.PutAsJsonAsync(policyUrl, new { nullRateBlocking = 0.8 });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.NotEmpty((await noReason.ReadNodeAsync()).FieldErrors("reason"));
        var tooHigh = await admin.PutAsJsonAsync(policyUrl, new { nullRateBlocking = 1.5, reason = Reason });
        Assert.Equal(HttpStatusCode.BadRequest, tooHigh.StatusCode);
        Assert.Contains("between 0.01 and 1", (await tooHigh.ReadNodeAsync()).FieldErrors("nullRateBlocking").Single(), StringComparison.Ordinal);
        var notJson = await admin.PutAsync(policyUrl, new StringContent("{\"nullRateBlocking\": \"lots\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "viewer", role = Roles.Viewer })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync(policyUrl, new { nullRateBlocking = 0.8, reason = Reason })).StatusCode);
        var server = await (await viewer.GetAsync(policyUrl)).ReadNodeAsync();
        Assert.Equal((0.5, 0.5, null), (server["nullRateBlocking"]!.GetValue<double>(), server["serverDefault"]!.GetValue<double>(), server["reason"]?.GetValue<string>()));
        Assert.Equal(0, await OwnLimitsAsync(slug));

        // An own limit with its reason: the version is judged again by it at once and every message gives the reason.
        var own = await admin.PutAsJsonAsync(policyUrl, new { nullRateBlocking = 0.8, reason = Reason });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var answer = await own.ReadNodeAsync();
        Assert.Equal((0.8, Reason), (answer["policy"]!["nullRateBlocking"]!.GetValue<double>(), answer["policy"]!["reason"]!.GetValue<string>()));
        Assert.Equal((1, "warnings"), (answer["report"]!["datasetVersion"]!.GetValue<int>(), answer["report"]!["outcome"]!.GetValue<string>()));
        var warning = await NullIssueAsync(admin, slug, emptied.RawName);
        Assert.Equal("Warning", warning["severity"]!.GetValue<string>());
        Assert.EndsWith($"above 80.0 % it blocks (the limit set for this enrollment: {Reason}).", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var read = await (await viewer.GetAsync(policyUrl)).ReadNodeAsync();
        Assert.Equal((0.8, Reason), (read["nullRateBlocking"]!.GetValue<double>(), read["reason"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(read["updatedBy"]?.GetValue<string>()));
        Assert.Equal(1, await OwnLimitsAsync(slug));

        // Back to the server's limit: blocked again.
        var reset = await (await admin.PutAsJsonAsync(policyUrl, new { nullRateBlocking = (double?)null })).ReadNodeAsync();
        Assert.Equal(("blocked", 0.5), (reset["report"]!["outcome"]!.GetValue<string>(), reset["policy"]!["nullRateBlocking"]!.GetValue<double>()));
        Assert.Equal("blocked", (await (await admin.GetAsync(Url(slug))).ReadNodeAsync())[0]!["validationOutcome"]!.GetValue<string>());
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> NullIssueAsync(HttpClient client, string slug, string column)
    {
        var report = (await (await client.GetAsync($"{Url(slug)}/1")).ReadNodeAsync())["validation"]!;
        return report["issues"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == "nulls.rate" && i["column"]!.GetValue<string>() == column)!;
    }

    private Task<int> OwnLimitsAsync(string slug) =>
        App.WithDbAsync(db => db.EnrollmentValidation.CountAsync(v => db.Enrollments.Any(e => e.Id == v.EnrollmentId && e.Tenant!.Slug == slug)));

    /// <summary>The dataset as CSV with the first <paramref name="share"/> of its rows' <paramref name="column"/> left empty.</summary>
    private static byte[] CsvWithEmpties(DemoDataset dataset, string column, double share)
    {
        var index = dataset.Header.ToList().IndexOf(column);
        var text = new StringBuilder().AppendLine(string.Join(',', dataset.Header.Select(Quote)));
        for (var r = 0; r < dataset.RowCount; r++)
        {
            var row = dataset.Rows[r];
            text.AppendLine(string.Join(',', row.Select((cell, i) => i == index && r < dataset.RowCount * share ? "" : Quote(cell ?? ""))));
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

public sealed class ValidationPolicyApiTestsOnSqlite(AppFixture<Sqlite> fixture) : ValidationPolicyApiTests<Sqlite>(fixture);

public sealed class ValidationPolicyApiTestsOnPostgres(AppFixture<Postgres> fixture) : ValidationPolicyApiTests<Postgres>(fixture);
