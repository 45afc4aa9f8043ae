using ControlPlane.ML;
using Bunit;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Web.Components.Datasets;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Datasets;

public sealed class DatasetPageTests : CoreTestContext
{
    private const string Tenant = "acme-data";

    // A 500-row demo file is larger than the base context's tiny upload limit.
    public DatasetPageTests()
        : base(maxUploadBytes: 10_000_000)
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
    }

    [Fact]
    public async Task The_page_shows_the_newest_version_with_a_schema_row_and_a_chart_per_column()
    {
        await EnrollAsync();
        var csv = DemoCsv();
        var created = await Services.GetRequiredService<DatasetService>()
            .CreateVersionAsync(Tenant, "churn-risk", "accounts.csv", new MemoryStream(csv), "test");
        Assert.True(created.IsOk, created.Message);

        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, "churn-risk"));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#schema-table")));
        Assert.Single(cut.FindAll("#dataset-versions tbody tr"));
        Assert.Equal("Binary", cut.Find("#task-type").TextContent.Trim());
        var schema = created.Value!.Schema;
        var rows = cut.FindAll("#schema-table tbody tr");
        Assert.Equal(schema.Count, rows.Count);
        foreach (var column in schema)
        {
            var row = cut.Find($"#schema-table tr[data-column='{column.Name}']");
            Assert.Equal(column.Type.ToString(), row.QuerySelector("[data-type]")!.GetAttribute("data-type"));
        }

        // Demo tenants name their columns in their own style, so check the types present rather than the names.
        Assert.Contains(schema, c => c.Type == FeatureType.Number);
        Assert.Contains(schema, c => c.Type == FeatureType.Category);
        Assert.Equal(schema.Count, cut.FindAll("[data-column-chart]").Count);
        // Numbers and dates as bars over their range with titled axes; categories and booleans as labelled bars of their values.
        foreach (var column in schema.Where(c => c.Type is FeatureType.Number or FeatureType.DateTime))
        {
            var svg = cut.Find($"[data-column-chart='{column.Name}']").QuerySelector("svg");
            Assert.NotNull(svg);
            Assert.Contains(column.Type == FeatureType.DateTime ? "Date (UTC)" : "Value", svg!.TextContent, StringComparison.Ordinal);
            Assert.Contains("Rows", svg.TextContent, StringComparison.Ordinal);
        }
        Assert.Contains(schema, c => c.Type == FeatureType.DateTime);
        foreach (var column in schema.Where(c => c.Type is FeatureType.Category or FeatureType.Boolean))
        {
            Assert.NotNull(cut.Find($"[data-column-chart='{column.Name}']").QuerySelector("[data-top-values] tr"));
        }

        Assert.NotNull(cut.Find("#null-rate-chart svg"));
    }

    [Fact]
    public async Task Uploading_creates_a_version_and_selects_it_and_the_same_file_again_is_reused()
    {
        await EnrollAsync();
        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, "churn-risk"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#no-versions")));
        var csv = DemoCsv();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(csv, "accounts.csv"));

        cut.WaitForAssertion(() => Assert.Equal("Version 1 created.", cut.Find("#dataset-outcome").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Equal("1", cut.Find("#dataset-profile").GetAttribute("data-version"));
        Assert.Single(cut.FindAll("#dataset-versions tbody tr"));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(csv, "accounts-again.csv"));

        cut.WaitForAssertion(() => Assert.Equal("Same file as version 1.", cut.Find("#dataset-outcome").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Single(cut.FindAll("#dataset-versions tbody tr"));
    }

    [Fact]
    public async Task A_malformed_csv_is_refused_at_the_field_naming_the_line()
    {
        await EnrollAsync();
        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, "churn-risk"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#dataset-upload")));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("a,b\n1,2\n3,4,5\n", "broken.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Line 3 has 3 fields", cut.Find("#dataset-file-error").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll("#no-versions"));
    }

    [Fact]
    public void A_use_case_the_tenant_is_not_enrolled_in_is_explained()
    {
        var cut = Render<DatasetPage>(p => p.Add(x => x.Slug, "nobody").Add(x => x.UseCase, "churn-risk"));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#not-enrolled")));
    }

    private async Task EnrollAsync()
    {
        var result = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Acme Data", Slug = Tenant, Region = "us", UseCases = ["churn-risk"] }, "test");
        Assert.True(result.IsOk, result.Message);
    }

    private static byte[] DemoCsv()
    {
        var data = DemoDataGenerator.Generate("churn-risk", new DemoGenerationOptions { TenantSlug = Tenant, Rows = 500 });
        using var stream = new MemoryStream();
        data.WriteCsv(stream);
        return stream.ToArray();
    }
}
