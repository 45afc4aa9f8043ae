using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.ML;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Tenants enrolled in every use case, each enrollment with a champion version, a health row (a mix of ok, warning,
/// drift, decay and missed SLAs) and, for a third of them, a saved monitoring policy — what the home matrix reads.
/// </summary>
public static class HomeMatrixSeeder
{
    private static readonly string[] Drift = ["ok", "ok", "ok", "watch", "drift", "no_data"];

    public static async Task SeedAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var random = new Random(7);
        List<(Guid Id, TaskType Task)> useCases;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            useCases = (await db.UseCases.OrderBy(u => u.Key).Select(u => new { u.Id, u.TaskType }).ToListAsync(ct))
                .Select(u => (u.Id, u.TaskType)).ToList();
        }

        var now = DateTime.UtcNow;
        for (var batch = 0; batch < count; batch += 250)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = batch; i < Math.Min(count, batch + 250); i++)
            {
                var slug = $"matrix-{i:D5}";
                var name = $"Matrix Tenant {i}";
                var tenant = new Tenant
                {
                    Id = Guid.NewGuid(), Slug = slug, Name = name, Region = i % 3 == 0 ? "eu" : "us",
                    SearchText = Tenant.BuildSearchText(slug, name), CreatedAt = now.AddDays(-400).AddMinutes(i), CreatedBy = "bench",
                };
                db.Tenants.Add(tenant);
                foreach (var (useCaseId, task) in useCases)
                {
                    var enrollment = new Enrollment { Id = Guid.NewGuid(), TenantId = tenant.Id, UseCaseId = useCaseId, CreatedAt = tenant.CreatedAt };
                    db.Enrollments.Add(enrollment);
                    var version = Version(enrollment, useCaseId, task, tenant.Region, now.AddDays(-random.Next(40)));
                    db.ModelVersions.Add(version);
                    db.ModelAliases.Add(new ModelAlias
                    {
                        Id = Guid.NewGuid(), EnrollmentId = enrollment.Id, Name = AliasNames.Champion, ModelVersionId = version.Id,
                        Revision = 1, UpdatedAt = version.CreatedAt, UpdatedBy = "bench",
                    });
                    var drift = Drift[random.Next(Drift.Length)];
                    var health = new EnrollmentHealth
                    {
                        EnrollmentId = enrollment.Id, Drift = drift, DriftNote = drift is "drift" or "watch" ? $"feature_{random.Next(12)} PSI 0.{random.Next(10, 60)}" : null,
                        DriftDay = now.Date, Decay = random.Next(10) == 0 ? "decay" : "ok", DecayNote = "auc 12 % below test",
                        Sla = random.Next(8) == 0 ? "missed" : "ok", SlaNote = "no batch score by 06:00", UpdatedAt = now,
                    };
                    var verdict = Core.Monitoring.Health.HealthVerdict.Judge(
                        health.Drift, health.DriftNote, health.Decay, health.DecayNote, health.Sla, health.SlaNote, 30, version.CreatedAt, now);
                    (health.Verdict, health.VerdictReason, health.VerdictEvidence, health.VerdictSince, health.VerdictAt) =
                        (verdict.Verdict, verdict.Reason, verdict.EvidenceJson(), now, now);
                    db.EnrollmentHealth.Add(health);
                    if (random.Next(3) == 0)
                    {
                        var policy = new EnrollmentMonitoring { EnrollmentId = enrollment.Id, UpdatedAt = now, UpdatedBy = "bench" };
                        (MonitoringSettings.Defaults with { MaxModelAgeDays = 45 }).CopyTo(policy);
                        db.EnrollmentMonitoring.Add(policy);
                    }
                }
            }

            await db.SaveChangesAsync(ct);
        }
    }

    private static ModelVersion Version(Enrollment enrollment, Guid useCaseId, TaskType task, string region, DateTime createdAt) => new()
    {
        Id = Guid.NewGuid(), Line = ModelLines.ForEnrollment(enrollment.Id), Number = 1, EnrollmentId = enrollment.Id, UseCaseId = useCaseId,
        Region = region, Task = task, Trainer = "FastTree", ReportJson = "{}", HeadlineMetric = "auc", HeadlineValue = 0.8, HigherIsBetter = true,
        LibraryVersion = "bench", CodeVersion = "bench", TriggeredBy = "bench", ArtifactPath = "bench", ArtifactSha256 = new string('0', 64),
        PredictionFingerprint = new string('0', 64), CreatedAt = createdAt,
    };
}
