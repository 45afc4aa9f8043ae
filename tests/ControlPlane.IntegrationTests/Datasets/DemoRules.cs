using ControlPlane.Core.Data;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Datasets;

/// <summary>Feature rules that map a demo tenant's raw columns onto the use case, stored as the enrollment's next rules version.</summary>
internal static class DemoRules
{
    public static RuleSet Mapping(DemoDataset dataset)
    {
        var useCase = BuiltInUseCases.All().Single(u => u.Key == dataset.UseCaseKey);
        return new RuleSet
        {
            EntityKey = dataset.EntityKey.RawName, EventTime = dataset.EventTime.RawName,
            Label = new LabelRule { Source = dataset.Label.RawName },
            Features = useCase.DefaultFeatures.Select(f => new FeatureRule { Name = f.Name, Source = dataset.Mapping[f.Name] }).ToArray(),
        };
    }

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
