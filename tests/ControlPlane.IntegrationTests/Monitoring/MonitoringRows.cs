using ControlPlane.Core.Monitoring;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>Enrollments with a monitoring policy and a health row written directly, as the drift and decay checks would.</summary>
internal static class MonitoringRows
{
    public static Task<Guid> EnrollmentIdAsync(ControlPlaneApp app, string slug, string useCase) =>
        app.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug && e.UseCase!.Key == useCase).Select(e => e.Id).SingleAsync());

    public static Task<int> SetPolicyAsync(ControlPlaneApp app, Guid enrollmentId, MonitoringSettings settings) =>
        app.WithDbAsync(async db =>
        {
            var row = await db.EnrollmentMonitoring.FindAsync(enrollmentId);
            if (row is null)
            {
                row = new EnrollmentMonitoring { EnrollmentId = enrollmentId };
                db.EnrollmentMonitoring.Add(row);
            }

            settings.CopyTo(row);
            row.UpdatedAt = DateTime.UtcNow;
            row.UpdatedBy = "test";
            return await db.SaveChangesAsync();
        });

    public static Task<int> SetHealthAsync(ControlPlaneApp app, Guid enrollmentId, Action<EnrollmentHealth> change) =>
        app.WithDbAsync(async db =>
        {
            var row = await db.EnrollmentHealth.FindAsync(enrollmentId);
            if (row is null)
            {
                row = new EnrollmentHealth { EnrollmentId = enrollmentId };
                db.EnrollmentHealth.Add(row);
            }

            change(row);
            row.UpdatedAt = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });

    /// <summary>
    /// A stored batch drift window ending on 2026-11-{day} with these feature results, as a check would write it: drift
    /// when a feature drifts, warning when one warns, ok otherwise.
    /// </summary>
    public static Task<int> WindowAsync(ControlPlaneApp app, Guid enrollmentId, int day, params DriftFeatureResult[] features) => app.WithDbAsync(db =>
    {
        var at = new DateTime(2026, 11, day, 0, 0, 0, DateTimeKind.Utc);
        var status = features.Any(f => f.Status == "drift") ? "drift" : features.Any(f => f.Status == "warning") ? "warning" : "ok";
        var window = new DriftWindow
        {
            Id = Guid.NewGuid(), EnrollmentId = enrollmentId, Source = "batch", Day = at, WindowStart = at, Rows = 500, ModelVersionId = Guid.NewGuid(),
            Status = status, DriftedFeatures = features.Count(f => f.Status == "drift"), JudgedFeatures = features.Length, CheckedAt = DateTime.UtcNow,
        };
        foreach (var feature in features)
        {
            feature.EnrollmentId = enrollmentId;
            feature.Rows = 500;
            window.Features.Add(feature);
        }

        db.DriftWindows.Add(window);
        return db.SaveChangesAsync();
    });

    /// <summary>GET .../drift of one source, asserting 200.</summary>
    public static async Task<System.Text.Json.Nodes.JsonNode> DriftAsync(HttpClient admin, string slug, string useCase, string source = "batch")
    {
        var response = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{useCase}/drift?source={source}");
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadNodeAsync();
    }

    /// <summary>Starts a run through the API (POST with <paramref name="body"/>, or none) and waits for it to succeed.</summary>
    public static async Task RunAsync(HttpClient admin, string url, object? body)
    {
        var response = body is null ? await admin.PostAsync(url, null) : await admin.PostJsonAsync(url, body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var run = await admin.WaitFinishedAsync((await response.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(3));
        Assert.True(run.Run.State == Core.Pipelines.RunState.Succeeded, RunsClient.Describe(run));
    }
}
