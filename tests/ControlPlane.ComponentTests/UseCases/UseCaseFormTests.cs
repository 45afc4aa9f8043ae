using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Web.Components.UseCases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.UseCases;

public sealed class UseCaseFormTests : CoreTestContext
{
    [Fact]
    public async Task Saving_an_incomplete_use_case_shows_each_problem_at_its_field_and_stores_nothing()
    {
        var created = false;
        var cut = Render<UseCaseForm>(p => p.Add(f => f.Created, () => created = true));
        cut.Find("#uc-key").Change("Bad Key");
        cut.Find("#uc-label").Change("1label");

        await cut.Find("#uc-save").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("'Bad Key'", ErrorOf(cut, "uc-key"), StringComparison.Ordinal));
        Assert.Equal("Name is required.", ErrorOf(cut, "uc-name"));
        Assert.Contains("must start with a letter", ErrorOf(cut, "uc-label"), StringComparison.Ordinal);
        Assert.Equal("Entity key column is required.", ErrorOf(cut, "uc-key-column"));
        Assert.False(created);
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.Equal(4, await db.UseCases.CountAsync());
    }

    private static string? ErrorOf(IRenderedComponent<UseCaseForm> cut, string inputId) =>
        cut.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent;
}
