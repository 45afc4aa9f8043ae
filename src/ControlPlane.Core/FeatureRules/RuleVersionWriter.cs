using ControlPlane.Core.Data;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.FeatureRules;

/// <summary>Appends checked overrides to an enrollment's rule versions, numbering them without gaps or duplicates.</summary>
internal static class RuleVersionWriter
{
    /// <summary>Stores version N+1 unless the latest already holds these rules; a racing save of the same number retries once.</summary>
    public static async Task<FeatureRuleVersion> StoreAsync(
        IDbContextFactory<ControlPlaneDbContext> dbs, Guid enrollmentId, string json, string comment, string actor, DateTime now, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var latest = await db.FeatureRuleVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollmentId)
                .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
            if (latest is not null && RuleJson.Write(RuleJson.Parse(latest.Json)) == json)
            {
                return latest;
            }

            var version = new FeatureRuleVersion
            {
                Id = Guid.NewGuid(), EnrollmentId = enrollmentId, Number = (latest?.Number ?? 0) + 1, Json = json,
                Comment = comment, CreatedAt = now, CreatedBy = actor,
            };
            db.FeatureRuleVersions.Add(version);
            try
            {
                await db.SaveChangesAsync(ct);
                return version;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another save took this number: look again, and take the next one unless it stored the same rules.
            }
        }
    }
}
