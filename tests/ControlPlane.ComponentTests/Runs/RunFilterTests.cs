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

    [Fact]
    public void Filters_and_order_go_into_the_address_and_come_back_from_it()
    {
        var filter = new RunFilter(Tenant: "acme co", UseCase: "churn-risk", State: RunState.Failed, From: new DateTime(2026, 11, 2), To: new DateTime(2026, 11, 26),
            Sort: ControlPlane.Executor.Runs.RunSort.Pipeline, Descending: false);

        var query = filter.ToQueryString();

        Assert.Equal("?tenant=acme%20co&useCase=churn-risk&state=Failed&from=2026-11-02&to=2026-11-26&sort=pipeline", query);
        var parsed = RunFilter.FromQuery(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)
            .ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        Assert.Equal(filter, parsed);
        Assert.Equal("", new RunFilter().ToQueryString());
        Assert.Equal(new RunFilter(), RunFilter.FromQuery(new Dictionary<string, string?> { ["state"] = "nonsense", ["sort"] = "weird" }));
    }
}
