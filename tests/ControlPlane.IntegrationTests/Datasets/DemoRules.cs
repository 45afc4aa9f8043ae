using ControlPlane.Core.Data;
using ControlPlane.Core.FeatureRules;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Datasets;

/// <summary>Stores feature rules as an enrollment's next rules version, bypassing the rules service.</summary>
internal static class DemoRules
{
    /// <summary>Stored directly: saving through the rules service also dry-runs the compiler, which is not what these tests are about.</summary>
    public static async Task<int> SaveAsync(ControlPlaneDbContext db, string slug, string useCase, RuleSet rules)
    {
        var enrollment = await db.Enrollments.SingleAsync(e => e.Tenant!.Slug == slug && e.UseCase!.Key == useCase);
        var number = (await db.FeatureRuleVersions.Where(v => v.EnrollmentId == enrollment.Id).MaxAsync(v => (int?)v.Number) ?? 0) + 1;
        db.FeatureRuleVersions.Add(new FeatureRuleVersion
        {
            Id = Guid.NewGuid(), EnrollmentId = enrollment.Id, Number = number, Json = RuleJson.Write(rules),
            Comment = "test mapping", CreatedAt = DateTime.UtcNow, CreatedBy = "test",
        });
        await db.SaveChangesAsync();
        return number;
    }
}
