using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Components.Datasets;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPlane.ComponentTests.Datasets;

public sealed class DatasetValidationViewTests : CoreTestContext
{
    private const string Tenant = "acme-checks";

    public DatasetValidationViewTests()
        : base(maxUploadBytes: 10_000_000)
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
    }

    [Fact]
    public async Task A_blocked_version_shows_its_problems_first_and_a_recheck_after_mapping_the_rules_updates_the_page()
    {
        var data = await EnrollWithVersionAsync();
        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, "churn-risk"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#validation-checklist")));

        Assert.Equal("Blocked", cut.Find("#validation-outcome").TextContent.Trim());
        Assert.NotNull(cut.Find("#dataset-versions td[data-validation='blocked']"));
        var severities = cut.FindAll("#validation-checklist [data-severity]").Select(e => e.GetAttribute("data-severity")).ToArray();
        Assert.Equal("Blocking", severities[0]);
        Assert.Equal(severities.OrderBy(s => s switch { "Blocking" => 0, "Warning" => 1, _ => 2 }), severities);
        Assert.Contains("Column 'account_id' (entity key) is not in the dataset.", cut.Find("#validation-checklist").TextContent);

        await SaveRulesAsync(KeysOnly(data));
        cut.Find("#revalidate").Click();

        cut.WaitForAssertion(() => Assert.NotEqual("Blocked", cut.Find("#validation-outcome").TextContent.Trim()));
        Assert.DoesNotContain("Blocking", cut.FindAll("#validation-checklist [data-severity]").Select(e => e.GetAttribute("data-severity")));
        Assert.Empty(cut.FindAll("#dataset-versions td[data-validation='blocked']"));
    }

    [Fact]
    public async Task A_report_made_with_older_rules_says_so_next_to_the_recheck_and_a_recheck_clears_it()
    {
        var data = await EnrollWithVersionAsync();
        await SaveRulesAsync(KeysOnly(data));
        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, "churn-risk"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#validation-checklist")));

        Assert.Equal("Checked against the default rules; rules are now v1.", cut.Find("#validation-stale").TextContent.Trim());
        Assert.Equal("revalidate", cut.Find("#validation-stale").NextElementSibling?.GetAttribute("id"));

        cut.Find("#revalidate").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#validation-stale")));
        Assert.Contains("against rules version 1", cut.Find("#validation-report").TextContent);
    }

    [Fact]
    public async Task A_type_chosen_for_a_column_applies_to_the_next_upload()
    {
        var data = await EnrollWithVersionAsync();
        var seats = data.Column("seats").RawName;
        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, "churn-risk"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"#type-overrides [data-override-column]")));
        var index = data.Header.ToList().IndexOf(seats);
        var select = cut.FindComponents<MudSelect<string>>()[index];

        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(nameof(FeatureType.Category)));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Csv(Demo(rows: 300)), "more.csv"));

        cut.WaitForAssertion(() => Assert.StartsWith("Version 2 created", cut.Find("#dataset-outcome").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Equal("2", cut.Find("#dataset-profile").GetAttribute("data-version"));
        var type = cut.Find($"#schema-table tr[data-column='{seats}'] [data-type]");
        Assert.Equal("Category", type.GetAttribute("data-type"));
        Assert.Contains("(inferred Number)", type.TextContent);
        Assert.Contains("Column types", cut.Find("#type-overrides").TextContent);
        Assert.DoesNotContain("set for the next upload", cut.Find("#type-overrides").TextContent);
    }

    private async Task<DemoDataset> EnrollWithVersionAsync()
    {
        var enrolled = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Acme Checks", Slug = Tenant, Region = "us", UseCases = ["churn-risk"] }, "test");
        Assert.True(enrolled.IsOk, enrolled.Message);
        var data = Demo(rows: 500);
        var created = await Services.GetRequiredService<DatasetService>().CreateVersionAsync(Tenant, "churn-risk", "accounts.csv", new MemoryStream(Csv(data)), "test");
        Assert.True(created.IsOk, created.Message);
        return data;
    }

    /// <summary>Rules reading only the key, time and label columns: every default feature dropped.</summary>
    private static RuleSet KeysOnly(DemoDataset data) => new()
    {
        EntityKey = data.EntityKey.RawName, EventTime = data.EventTime.RawName, Label = new LabelRule { Source = data.Label.RawName },
        Drop = BuiltInUseCases.All().Single(u => u.Key == "churn-risk").DefaultFeatures.Select(f => f.Name).ToArray(),
    };

    private async Task SaveRulesAsync(RuleSet rules)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var enrollment = await db.Enrollments.SingleAsync(e => e.Tenant!.Slug == Tenant);
        db.FeatureRuleVersions.Add(new FeatureRuleVersion
        {
            Id = Guid.NewGuid(), EnrollmentId = enrollment.Id, Number = 1, Json = RuleJson.Write(rules), CreatedAt = DateTime.UtcNow, CreatedBy = "test",
        });
        await db.SaveChangesAsync();
    }

    private static DemoDataset Demo(int rows) =>
        DemoDataGenerator.Generate("churn-risk", new DemoGenerationOptions { TenantSlug = Tenant, Rows = rows });

    private static byte[] Csv(DemoDataset data)
    {
        using var stream = new MemoryStream();
        data.WriteCsv(stream);
        return stream.ToArray();
    }
}
