using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.Web.Components.Home;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Models;

/// <summary>The home matrix follows the verdicts: a check that changes one redraws its cell without a reload.</summary>
public sealed class HomeMatrixLiveTests : ModelsTestContext
{
    [Fact]
    public async Task A_verdict_that_changes_redraws_its_cell()
    {
        await EnrollAsync("live-home");
        var cut = Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal(Verdicts.NoData, Cell(cut).GetAttribute("data-health")), Wait);

        Guid id;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            id = await db.Enrollments.Where(e => e.Tenant!.Slug == "live-home").Select(e => e.Id).SingleAsync();
            db.EnrollmentHealth.Add(new EnrollmentHealth { EnrollmentId = id, Drift = "drift", DriftNote = "seats PSI 0.41", UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await Services.GetRequiredService<HealthVerdictService>().UpdateAsync(id, CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Equal(Verdicts.Drift, Cell(cut).GetAttribute("data-health")), Wait);
        Assert.Equal("Drift", cut.Find("tr[data-tenant='live-home'] td[data-use-case='churn-risk'] [data-verdict]").TextContent.Trim());
    }

    private static AngleSharp.Dom.IElement Cell(IRenderedComponent<Home> cut) =>
        cut.Find("tr[data-tenant='live-home'] td[data-use-case='churn-risk'] [data-health]");
}
