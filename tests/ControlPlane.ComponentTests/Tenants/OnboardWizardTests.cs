using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Components.Tenants;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Tenants;

public sealed class OnboardWizardTests : CoreTestContext
{
    [Fact]
    public void Next_with_nothing_filled_in_shows_the_problem_at_the_name_and_slug_fields()
    {
        var cut = Render<OnboardWizard>();

        cut.Find("#wizard-next").Click();

        Assert.Contains("Name is required.", ErrorOf(cut, "tenant-name"), StringComparison.Ordinal);
        Assert.Contains("Slug is required.", ErrorOf(cut, "tenant-slug"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-use-case]"));
    }

    [Fact]
    public void The_slug_is_suggested_from_the_name_until_edited()
    {
        var cut = Render<OnboardWizard>();

        cut.Find("#tenant-name").Input("Société Générale");
        Assert.Equal("societe-generale", cut.Find("#tenant-slug").GetAttribute("value"));

        cut.Find("#tenant-slug").Input("sg");
        cut.Find("#tenant-name").Input("Société Générale SA");
        Assert.Equal("sg", cut.Find("#tenant-slug").GetAttribute("value"));
    }

    [Fact]
    public void A_malformed_slug_is_explained_at_the_slug_field()
    {
        var cut = Render<OnboardWizard>();
        cut.Find("#tenant-name").Input("Acme");
        cut.Find("#tenant-slug").Input("Acme_Corp");

        cut.Find("#wizard-next").Click();

        Assert.Contains("may contain only lowercase letters", ErrorOf(cut, "tenant-slug"), StringComparison.Ordinal);
        Assert.Null(ErrorOf(cut, "tenant-name"));
    }

    [Fact]
    public async Task A_taken_slug_is_refused_before_the_next_step()
    {
        await Services.GetRequiredService<TenantService>()
            .CreateAsync(new CreateTenantRequest { Name = "Existing", Slug = "existing-co", Region = "us" }, "test");
        var cut = Render<OnboardWizard>();
        cut.Find("#tenant-name").Input("Existing Co");

        await cut.Find("#wizard-next").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("'existing-co' already exists", ErrorOf(cut, "tenant-slug"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Creating_shows_the_key_once_and_goes_on_to_the_expected_columns_and_their_template()
    {
        var cut = Render<OnboardWizard>();
        GoToUseCases(cut, "Globex", "globex");
        cut.Find("[data-use-case='ticket-routing'] input").Change(true);
        cut.Find("#wizard-next").Click();
        Assert.Contains("ticket-routing", cut.Find("#review").TextContent, StringComparison.Ordinal);

        await cut.Find("#wizard-create").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#onboard-result")));
        var key = cut.Find("#api-key").GetAttribute("value")!;
        Assert.StartsWith("cpk_", key, StringComparison.Ordinal);
        Assert.True(cut.Find("#wizard-back").HasAttribute("disabled"));
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var tenant = await db.Tenants.Include(t => t.Enrollments).Include(t => t.ApiKeys).SingleAsync(t => t.Slug == "globex");
            Assert.Single(tenant.Enrollments);
            Assert.NotEqual(key, Assert.Single(tenant.ApiKeys).Hash);
        }

        cut.Find("#wizard-next").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#expected-columns")));
        Assert.Equal("/downloads/use-cases/ticket-routing/template.csv", cut.Find("#download-template").GetAttribute("href"));
        var expected = cut.FindAll("#expected-columns-table tbody tr").Select(r => r.GetAttribute("data-column")!).ToArray();
        Assert.Equal(["ticket_id", "opened_at", "queue", "subject", "body", "channel", "customer_tier", "product_area", "attachments"], expected);
        // Next waits for the data: no version yet.
        Assert.True(cut.Find("#wizard-next").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("#api-key"));
    }

    private static void GoToUseCases(IRenderedComponent<OnboardWizard> cut, string name, string slug)
    {
        cut.Find("#tenant-name").Input(name);
        cut.Find("#tenant-slug").Input(slug);
        cut.Find("#wizard-next").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-use-case]")));
    }

    /// <summary>The error text MudBlazor shows under the input with this id, or null when there is none.</summary>
    private static string? ErrorOf(IRenderedComponent<OnboardWizard> cut, string inputId)
    {
        var input = cut.Find($"#{inputId}");
        var control = input.Closest(".mud-input-control");
        var error = control?.QuerySelector(".mud-input-helper-text.mud-input-error");
        return error?.TextContent;
    }
}
