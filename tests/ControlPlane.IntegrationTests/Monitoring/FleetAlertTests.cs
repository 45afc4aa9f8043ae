using System.Net;
using System.Text.Json.Nodes;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// Fleet-level alerts (issue 17 point 4): 60 generated tenants of one use case, 11 of them drift on the same input in
/// the same windows — one use-case alert names them, the tenants' own alerts fold under it or are never raised, a tenant
/// drifting on an input of its own still alerts on its own; acknowledging the group acknowledges its members; the alert
/// resolves itself when the shift clears. And the life of one alert: deduplicated, escalated, snoozed, resolved, with
/// the API's errors for what cannot be done.
/// </summary>
public abstract class FleetAlertTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const int Tenants = 60;
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_shift_across_many_tenants_raises_one_use_case_alert_that_groups_acknowledges_and_resolves()
    {
        using var admin = App.CreateAdminClient();
        var prefix = TestSlugs.New("fleet");
        var targets = new List<DriftTarget>();
        for (var i = 0; i < Tenants; i++)
        {
            var slug = $"{prefix}-{i:00}";
            Assert.Equal(HttpStatusCode.Created,
                (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Fleet {i}", slug, region = "us", useCases = new[] { "churn-risk" } })).StatusCode);
            targets.Add(await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug)
                .Select(e => new DriftTarget(e.Id, slug, "churn-risk", e.UseCaseId, "us", TaskType.Binary)).SingleAsync()));
        }

        var updater = App.Services.GetRequiredService<DriftHealthUpdater>();
        foreach (var t in targets)
        {
            await WindowAsync(t, 1, ("plan", "ok"), ("seats", "ok"));
            await updater.UpdateAsync(t, CancellationToken.None);
        }

        // Tenants 0-9 drift on plan, 10 on plan and seats, 11 on seats alone: two windows in a row each, one tenant after the other.
        var planOnly = targets.Take(10).ToList();
        var both = targets[10];
        var seatsOnly = targets[11];
        foreach (var t in targets.Take(12))
        {
            foreach (var day in new[] { 2, 3 })
            {
                await WindowAsync(t, day, ("plan", t == seatsOnly ? "ok" : "drift"), ("seats", t == both || t == seatsOnly ? "drift" : "ok"));
                await updater.UpdateAsync(t, CancellationToken.None);
            }
        }

        var useCaseId = targets[0].UseCaseId;
        var fleetKey = AlertKeys.FleetDrift(useCaseId, "plan");
        var all = await App.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.Kind == AlertKinds.Drift).ToListAsync());
        var fleet = Assert.Single(all, n => n.Key != null && n.Key.StartsWith("fleet-drift:", StringComparison.Ordinal));
        Assert.Equal(fleetKey, fleet.OpenKey);
        Assert.Equal("Fleet drift: 11 of 60 tenants of churn-risk drift on plan", fleet.Title);
        Assert.StartsWith("11 of 60 tenants drift on plan since Monday 2026-11-02 — likely an upstream change", fleet.Message);
        Assert.Equal(((string?)null, "churn-risk"), (fleet.TenantSlug, fleet.UseCaseKey));
        Assert.Equal("/use-cases/churn-risk/monitoring", fleet.Link);
        var data = JsonNode.Parse(fleet.DataJson!)!;
        Assert.Equal(targets.Take(11).Select(t => t.Tenant).Order(StringComparer.Ordinal), data["tenants"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Every drifting tenant's verdict is drift, but only the two with an input of their own alert on their own.
        var verdicts = await App.WithDbAsync(db => db.EnrollmentHealth.AsNoTracking().Where(h => h.Verdict == "drift").Select(h => h.EnrollmentId).ToListAsync());
        Assert.Equal(targets.Take(12).Select(t => t.EnrollmentId).Order(), verdicts.Order());
        Guid OwnAlert(DriftTarget t) => all.Single(n => n.EnrollmentId == t.EnrollmentId).Id;
        Assert.Equal(new[] { fleet.Id, OwnAlert(both), OwnAlert(seatsOnly) }.Order(), all.Where(n => n.GroupId == null).Select(n => n.Id).Order());
        // A shift is 6 tenants here (10% of 60): the first five plan tenants alerted before the sixth made it one; their
        // alerts are folded in, the other five raised none.
        var members = all.Where(n => n.GroupId == fleet.Id).ToList();
        Assert.Equal(planOnly.Take(5).Select(t => (Guid?)t.EnrollmentId).Order(), members.Select(m => m.EnrollmentId).Order());
        Assert.DoesNotContain(all, n => planOnly.Skip(5).Any(t => t.EnrollmentId == n.EnrollmentId));

        // The API and the bell show it grouped: three at the top, the fleet alert with its five members.
        var list = await (await admin.GetAsync("/api/v1/notifications?kind=drift&state=active")).ReadNodeAsync();
        Assert.Equal(3, list["unread"]!.GetValue<int>());
        var items = list["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        var fleetItem = items.Single(i => i!["id"]!.GetValue<string>() == fleet.Id.ToString())!;
        Assert.Equal((5, "open"), (fleetItem["members"]!.GetValue<int>(), fleetItem["state"]!.GetValue<string>()));
        var group = await (await admin.GetAsync($"/api/v1/notifications?group={fleet.Id}")).ReadNodeAsync();
        Assert.Equal(5, group["items"]!.AsArray().Count);

        // Acknowledging the fleet alert acknowledges what is folded under it, names who did it, and leaves the bell.
        var acked = await (await admin.PostAsync($"/api/v1/notifications/{fleet.Id}/acknowledge", null)).ReadNodeAsync();
        Assert.Equal("acknowledged", acked["state"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(acked["acknowledgedBy"]!.GetValue<string>()));
        Assert.All(await App.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.GroupId == fleet.Id).ToListAsync()),
            m => Assert.NotNull(m.AcknowledgedAt));
        Assert.Equal(2, (await (await admin.GetAsync("/api/v1/notifications")).ReadNodeAsync())["unread"]!.GetValue<int>());

        // A twelfth plan tenant joins: the same alert counts it (12 of 60), no second one.
        var late = targets[12];
        foreach (var day in new[] { 2, 3 })
        {
            await WindowAsync(late, day, ("plan", "drift"), ("seats", "ok"));
            await updater.UpdateAsync(late, CancellationToken.None);
        }

        var updated = await App.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Key == fleetKey));
        Assert.Equal(("Fleet drift: 12 of 60 tenants of churn-risk drift on plan", fleet.Occurrences + 1), (updated.Title, updated.Occurrences));
        Assert.NotNull(updated.AcknowledgedAt);

        // Ten of them are fine again: once fewer than six drift, the fleet alert resolves itself and says why; the folded
        // alerts of the tenants that recovered resolved with their episodes.
        foreach (var t in targets.Take(10))
        {
            await WindowAsync(t, 4, ("plan", "ok"), ("seats", "ok"));
            await updater.UpdateAsync(t, CancellationToken.None);
        }

        var resolved = await App.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Key == fleetKey));
        Assert.Equal((AlertService.ConditionCleared, (string?)null), (resolved.ResolvedBy, resolved.OpenKey));
        Assert.StartsWith("5 of 60 tenants drift on plan now", resolved.ResolvedNote);
        Assert.All(await App.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.GroupId == fleet.Id).ToListAsync()),
            m => Assert.NotNull(m.ResolvedAt));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/notifications/{fleet.Id}/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task One_condition_is_one_alert_until_it_resolves_and_snoozing_and_resolving_follow_the_rules()
    {
        var alerts = App.Services.GetRequiredService<AlertService>();
        var key = $"test:{Guid.NewGuid():N}";
        AlertRequest Alert(AlertSeverity severity, string title) => new(AlertKinds.Sla, severity, title, "p99 over budget", Key: key);

        // Raised four times at once on the same key: one alert, counted four times.
        var raised = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => alerts.RaiseAsync(Alert(AlertSeverity.Warning, $"SLA missed {i}")))));
        Assert.Single(raised.Select(r => r.Id).Distinct());
        var id = raised[0].Id;
        Task<Notification> RowAsync() => App.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id));
        Assert.Equal(4, (await RowAsync()).Occurrences);

        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/notifications/{id}/read", null)).StatusCode);
        // Raised again as bad: read stays. Raised worse: unread again, and critical.
        await alerts.RaiseAsync(Alert(AlertSeverity.Warning, "SLA missed again"));
        Assert.NotNull((await RowAsync()).ReadAt);
        await alerts.RaiseAsync(Alert(AlertSeverity.Critical, "SLA missed badly"));
        var worse = await RowAsync();
        Assert.Equal((AlertSeverity.Critical, (DateTime?)null, 6, "SLA missed badly"), (worse.Severity, worse.ReadAt, worse.Occurrences, worse.Title));

        // Snoozing: for minutes or until a time, in the future and within 30 days; a viewer may not.
        var bad = await admin.PostJsonAsync($"/api/v1/notifications/{id}/snooze", new { minutes = 60, until = DateTime.UtcNow.AddHours(1) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("either minutes", (await bad.ReadNodeAsync())["errors"]!["minutes"]![0]!.GetValue<string>());
        var past = await admin.PostJsonAsync($"/api/v1/notifications/{id}/snooze", new { until = DateTime.UtcNow.AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("after now", (await past.ReadNodeAsync())["errors"]!["until"]![0]!.GetValue<string>());
        var viewerToken = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "fleet-viewer", role = Roles.Viewer })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(viewerToken["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync($"/api/v1/notifications/{id}/snooze", new { minutes = 60 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync($"/api/v1/notifications/{id}/resolve", new { note = "x" })).StatusCode);

        var before = (await (await admin.GetAsync("/api/v1/notifications")).ReadNodeAsync())["unread"]!.GetValue<int>();
        var snoozed = await (await admin.PostJsonAsync($"/api/v1/notifications/{id}/snooze", new { minutes = 60 })).ReadNodeAsync();
        Assert.Equal("snoozed", snoozed["state"]!.GetValue<string>());
        Assert.Equal(before - 1, (await (await admin.GetAsync("/api/v1/notifications")).ReadNodeAsync())["unread"]!.GetValue<int>());
        Assert.Contains((await (await admin.GetAsync("/api/v1/notifications?state=snoozed")).ReadNodeAsync())["items"]!.AsArray(),
            i => i!["id"]!.GetValue<string>() == id.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/notifications?state=sleeping")).StatusCode);

        // Resolved by a person with a note: closed; the next raise of the condition is a new alert.
        var closed = await (await admin.PostJsonAsync($"/api/v1/notifications/{id}/resolve", new { note = "budget raised" })).ReadNodeAsync();
        Assert.Equal(("resolved", "budget raised"), (closed["state"]!.GetValue<string>(), closed["resolvedNote"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJsonAsync($"/api/v1/notifications/{id}/snooze", new { minutes = 5 })).StatusCode);
        var again = await alerts.RaiseAsync(Alert(AlertSeverity.Warning, "SLA missed after"));
        Assert.NotEqual(id, again.Id);
        Assert.Equal(1, (await App.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == again.Id))).Occurrences);
        Assert.Equal(1, await alerts.ResolveAsync([key], "cleared"));
        Assert.Equal(0, await alerts.ResolveAsync([key], "cleared"));
    }

    private Task WindowAsync(DriftTarget target, int day, params (string Feature, string Status)[] features) => MonitoringRows.WindowAsync(App, target.EnrollmentId, day,
        [.. features.Select(f => new DriftFeatureResult { Feature = f.Feature, Kind = "category", Status = f.Status, Psi = f.Status == "drift" ? 0.6 : 0.01, Test = "chi2" })]);
}

public sealed class FleetAlertTestsOnSqlite(AppFixture<Sqlite> fixture) : FleetAlertTests<Sqlite>(fixture);

public sealed class FleetAlertTestsOnPostgres(AppFixture<Postgres> fixture) : FleetAlertTests<Postgres>(fixture);
