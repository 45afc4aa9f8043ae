using ControlPlane.Core.Monitoring;
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
}
