using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Components.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>The monitoring policy form: a malformed threshold is shown at its field and nothing saved; a good one is saved; readers cannot edit.</summary>
public sealed class MonitoringSettingsFormTests : CoreTestContext
{
    private const string Tenant = "acme-watch";

    [Fact]
    public async Task A_drift_line_below_the_warning_line_is_refused_at_its_field_and_a_good_policy_is_saved()
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
        await EnrollAsync();
        var cut = Render<MonitoringSettingsForm>(p => p.Add(f => f.Tenant, Tenant).Add(f => f.UseCase, "churn-risk"));
        cut.WaitForAssertion(() => Assert.Contains("defaults", cut.Find("#monitoring-settings").TextContent, StringComparison.Ordinal));

        cut.Find("#psiWarning").Change("0.3");
        cut.Find("#psiDrift").Change("0.25");
        cut.Find("#batchDeadlineUtc").Change("6 am");
        await cut.Find("#monitoring-save").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("greater than psiWarning", ErrorOf(cut, "psiDrift"), StringComparison.Ordinal));
        Assert.Contains("HH:mm", ErrorOf(cut, "batchDeadlineUtc"), StringComparison.Ordinal);
        Assert.Null(ErrorOf(cut, "psiWarning"));
        Assert.False(await StoredAsync());

        cut.Find("#psiDrift").Change("0.4");
        cut.Find("#batchDeadlineUtc").Change("06:00");
        await cut.Find("#monitoring-save").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("saved", cut.Find("#monitoring-settings").TextContent, StringComparison.Ordinal));
        Assert.Null(ErrorOf(cut, "psiDrift"));
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var row = await db.EnrollmentMonitoring.SingleAsync();
        Assert.Equal(0.4, row.PsiDrift);
        Assert.Equal(360, row.BatchDeadlineMinutes);
    }

    [Fact]
    public async Task A_reader_sees_the_policy_but_cannot_change_it()
    {
        Auth.SetPolicies(Policies.Read);
        await EnrollAsync();
        var cut = Render<MonitoringSettingsForm>(p => p.Add(f => f.Tenant, Tenant).Add(f => f.UseCase, "churn-risk"));

        cut.WaitForAssertion(() => Assert.True(cut.Find("#psiWarning").HasAttribute("disabled")));
        Assert.Empty(cut.FindAll("#monitoring-save"));
    }

    private async Task<bool> StoredAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.EnrollmentMonitoring.AnyAsync();
    }

    private async Task EnrollAsync()
    {
        var result = await Services.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Acme Watch", Slug = Tenant, Region = "us", UseCases = ["churn-risk"] }, "test");
        Assert.True(result.IsOk, result.Message);
    }

    private static string? ErrorOf(IRenderedComponent<MonitoringSettingsForm> cut, string inputId) =>
        cut.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent;
}
