using ControlPlane.Core.Pipelines;
using ControlPlane.Web.Components.Runs;

namespace ControlPlane.ComponentTests.Runs;

public sealed class RunFilterTests
{
    [Fact]
    public void Days_are_whole_utc_days_with_the_last_one_included()
    {
        var query = new RunFilter(From: new DateTime(2026, 11, 2, 15, 30, 0), To: new DateTime(2026, 11, 26)).ToQuery(2, 50);

        Assert.Equal(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), query.Created.From);
        Assert.Equal(DateTimeKind.Utc, query.Created.From!.Value.Kind);
        Assert.Equal(new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc), query.Created.Until);
        Assert.True(query.Created.Contains(new DateTime(2026, 11, 26, 23, 59, 59, DateTimeKind.Utc)));
        Assert.Equal((2, 50), (query.Page, query.PageSize));
    }

    [Fact]
    public void Fan_out_children_are_listed_only_when_a_tenant_is_chosen()
    {
        Assert.True(new RunFilter(State: RunState.Failed).ToQuery(0, 25).TopLevelOnly);

        var forTenant = new RunFilter(Tenant: "acme", UseCase: "churn-risk", Pipeline: "demo").ToQuery(0, 25);

        Assert.False(forTenant.TopLevelOnly);
        Assert.Equal(("acme", "churn-risk", "demo"), (forTenant.Tenant, forTenant.UseCase, forTenant.Pipeline));
    }
}
