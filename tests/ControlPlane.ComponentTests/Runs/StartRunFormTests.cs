using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Web.Components.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Runs;

public sealed class StartRunFormTests : RunsTestContext
{
    [Fact]
    public async Task A_fan_out_pipeline_without_a_use_case_is_refused_at_the_use_case_field()
    {
        var cut = Render<StartRunForm>(p => p.Add(f => f.Pipeline, "demo-all"));

        await cut.Find("#start-run").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("needs an existing use case", ErrorOf(cut, "start-use-case"), StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#start-tenant")); // a fan-out run is for every enrolled tenant
        Assert.Equal(0, await RunCountAsync());
    }

    [Fact]
    public async Task A_malformed_parameter_line_is_named_at_the_parameters_field_and_nothing_starts()
    {
        // A pipeline that declares no parameters takes free key=value lines.
        var cut = Render<StartRunForm>(p => p.Add(f => f.Pipeline, "retrain"));
        cut.Find("#start-parameters").Change("stepMs=60\nfail");

        await cut.Find("#start-run").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Line 2 ('fail') is not key=value.", ErrorOf(cut, "start-parameters")));
        Assert.Equal(0, await RunCountAsync());
    }

    [Fact]
    public async Task A_declared_parameter_of_the_wrong_form_is_named_at_its_field_and_nothing_starts()
    {
        // The demo pipeline declares its parameters: a field each, typed, with its help.
        var cut = Render<StartRunForm>(p => p.Add(f => f.Pipeline, "demo"));
        Assert.Empty(cut.FindAll("#start-parameters"));
        Assert.Contains("Milliseconds per progress step", cut.Find("#parameter-fields").TextContent, StringComparison.Ordinal);
        cut.Find("#param-stepMs").Change("fast");

        await cut.Find("#start-run").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("stepMs must be a whole number", ErrorOf(cut, "param-stepMs"), StringComparison.Ordinal));
        Assert.Equal(0, await RunCountAsync());
    }

    [Fact]
    public async Task A_valid_form_starts_the_run_and_opens_its_page()
    {
        var cut = Render<StartRunForm>(p => p.Add(f => f.Pipeline, "demo"));
        cut.Find("#param-stepMs").Change("60");

        await cut.Find("#start-run").ClickAsync(new());

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/runs/[0-9a-f-]{36}$", navigation.Uri));
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var run = await db.PipelineRuns.SingleAsync();
        Assert.EndsWith($"/runs/{run.Id}", navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("""{"stepMs":"60"}""", run.ParametersJson);
        Assert.Equal("admin@test.local", run.TriggeredBy);
    }

    [Fact]
    public async Task An_analyst_is_told_that_only_admins_start_housekeeping_and_nothing_starts()
    {
        Auth.SetRoles("Analyst");
        var cut = Render<StartRunForm>(p => p.Add(f => f.Pipeline, "housekeeping"));

        await cut.Find("#start-run").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Only admins start pipeline 'housekeeping' by hand.", cut.Find("#start-error").TextContent.Trim()));
        Assert.Equal(0, await RunCountAsync());
    }

    private async Task<int> RunCountAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.PipelineRuns.CountAsync();
    }

    private static string? ErrorOf(IRenderedComponent<StartRunForm> cut, string inputId) =>
        cut.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent;
}
