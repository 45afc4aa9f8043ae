using System.Security.Claims;
using System.Text;
using ControlPlane.Core.Common;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>An enrollment's monitoring policy: drift and decay thresholds, SLAs and the auto-retrain policy.</summary>
public static class MonitoringApi
{
    /// <summary>The policy is a few hundred bytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/monitoring").WithTags("Monitoring");
        group.MapGet("", async (string tenant, string useCase, MonitoringSettingsService settings, CancellationToken ct) =>
                ApiResults.Ok(await settings.GetAsync(tenant, useCase, ct), v => v))
            .WithName("GetMonitoringSettings").WithSummary("The enrollment's monitoring policy (the defaults until one is saved).");
        group.MapPut("", SaveAsync).WithName("SaveMonitoringSettings").RequireAuthorization(Policies.Analyze)
            .Accepts<MonitoringSettings>("application/json")
            .WithSummary("Replace the monitoring policy; omitted fields take their defaults, every invalid field is named in the problem details.");
        group.MapPost("/checks", async (string tenant, string useCase, Executor.Pipelines.DriftStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
                ApiResults.RunAccepted(await starter.StartMonitorAsync(tenant, useCase, "api", user.Actor(), ct)))
            .WithName("StartMonitoringCheck").RequireAuthorization(Policies.Analyze)
            .WithSummary("Check everything now: a monitor run (drift of both sources, decay, SLAs, then the auto-retrain policy); 202 with the run.");
        return group;
    }

    private static async Task<IResult> SaveAsync(
        string tenant, string useCase, HttpRequest request, MonitoringSettingsService settings, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return ApiResults.Problem(Result<MonitoringSettingsView>.TooLarge("json", $"The body is larger than the limit of {MaxBodyBytes:N0} bytes."));
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        if (body.Length > MaxBodyBytes)
        {
            return ApiResults.Problem(Result<MonitoringSettingsView>.TooLarge("json", $"The body is larger than the limit of {MaxBodyBytes:N0} bytes."));
        }

        var parsed = MonitoringSettingsService.Parse(body);
        if (!parsed.IsOk)
        {
            return ApiResults.Problem(parsed);
        }

        return ApiResults.Ok(await settings.SaveAsync(tenant, useCase, parsed.Value!, user.Actor(), ct), v => v);
    }
}
