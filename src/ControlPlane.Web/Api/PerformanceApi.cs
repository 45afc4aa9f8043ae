using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Monitoring;

namespace ControlPlane.Web.Api;

/// <summary>An enrollment's realized and estimated performance by day, as the decay check stored it.</summary>
public static class PerformanceApi
{
    public static RouteGroupBuilder MapPerformanceApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}").WithTags("Monitoring");
        group.MapGet("/performance", GetPerformance).WithName("GetPerformance")
            .WithSummary("The headline decay metric by day in [from, to] (yyyy-MM-dd, UTC; by default the 90 days ending on the newest checked day): "
                + "realized from labels, estimated without labels (binary), the test metric and the warning and decay thresholds.");
        return group;
    }

    public static async Task<IResult> GetPerformance(
        string tenant, string useCase, PerformanceQueries queries, CancellationToken ct, string? from = null, string? to = null)
    {
        var errors = new ValidationErrors();
        var start = Day(errors, "from", from);
        var end = Day(errors, "to", to);
        if (errors.Any) return ApiResults.Problem(Result<object>.Invalid(errors));
        return ApiResults.Ok(await queries.SeriesAsync(tenant, useCase, start, end, ct), s => s);
    }

    private static DateTime? Day(ValidationErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
        {
            return DateTime.SpecifyKind(day, DateTimeKind.Utc);
        }

        errors.Add(field, $"{field} must be a date as yyyy-MM-dd (UTC), e.g. 2026-03-01; it was '{text}'.");
        return null;
    }
}
