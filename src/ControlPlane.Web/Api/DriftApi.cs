using System.Globalization;
using System.Security.Claims;
using ControlPlane.Core.Common;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>
/// Drift of an enrollment: the stored daily windows of one source with each feature's latest result and trend, and
/// starting a drift check (202 with the run).
/// </summary>
public static class DriftApi
{
    public static RouteGroupBuilder MapDriftApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}").WithTags("Monitoring");
        group.MapGet("/drift", GetDrift).WithName("GetDrift")
            .WithSummary("Drift windows of ?source=batch|realtime (default batch) for days from–to (yyyy-MM-dd, UTC; default the last 90 checked), with each feature's latest result and trend.");
        group.MapGet("/health", async (string tenant, string useCase, Core.Monitoring.Health.HealthQueries health, CancellationToken ct) =>
                ApiResults.Ok(await health.GetAsync(tenant, useCase, ct), v => v))
            .WithName("GetHealth")
            .WithSummary("The enrollment's health verdict (healthy, watch, drift, decay, failing, no_data) with its reason, each aspect's evidence, and since when it holds — the same verdict every page shows.");
        group.MapGet("/causes", async (string tenant, string useCase, Core.Monitoring.Causes.RootCauses causes, CancellationToken ct) =>
                ApiResults.Ok(await causes.GetAsync(tenant, useCase, ct), v => v))
            .WithName("GetRootCauses")
            .WithSummary("Why the enrollment drifts or decays: candidate causes (fleet-wide shift, schema or source change, rules change, champion change, drifting inputs, labels) ranked with their evidence and links; empty when the verdict is healthy.");
        group.MapGet("/drift/compare", ComparePeriods).WithName("ComparePeriods")
            .WithSummary("Compare an analysis period (analysisFrom, analysisTo) with a reference period (referenceFrom, referenceTo) or, without them, the training data; dates yyyy-MM-dd (UTC, both included, at most 366 days each), ?source=batch|realtime. Same statistics as a drift window; an empty answer says why.");
        group.MapPost("/drift-checks", StartDriftCheck).WithName("StartDriftCheck").RequireAuthorization(Policies.Analyze)
            .WithSummary("Check drift now ({\"source\": \"batch\"|\"realtime\"}, both when left out); 202 with the run.");
        return group;
    }

    public static async Task<IResult> GetDrift(
        string tenant, string useCase, DriftQueries queries, CancellationToken ct, string? source = null, string? from = null, string? to = null)
    {
        var errors = new ValidationErrors();
        var fromDay = Day(from, "from", errors);
        var toDay = Day(to, "to", errors);
        if (errors.Any)
        {
            return ApiResults.Problem(Result<object>.Invalid(errors));
        }

        return ApiResults.Ok(await queries.GetAsync(tenant, useCase, source ?? PredictionSources.Batch, fromDay, toDay, ct), DriftResponse.From);
    }

    public static async Task<IResult> ComparePeriods(string tenant, string useCase, Core.Monitoring.Periods.PeriodDrift periods, CancellationToken ct,
        string? source = null, string? referenceFrom = null, string? referenceTo = null, string? analysisFrom = null, string? analysisTo = null)
    {
        var errors = new ValidationErrors();
        var analysis = Range(analysisFrom, analysisTo, "analysis", required: true, errors);
        var reference = Range(referenceFrom, referenceTo, "reference", required: false, errors);
        if (errors.Any)
        {
            return ApiResults.Problem(Result<object>.Invalid(errors));
        }

        return ApiResults.Ok(await periods.CompareAsync(tenant, useCase,
            new Core.Monitoring.Periods.PeriodRequest(source ?? PredictionSources.Batch, reference, analysis!), ct), v => v);
    }

    private static Core.Monitoring.Periods.DayRange? Range(string? from, string? to, string name, bool required, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            if (required)
            {
                errors.Add($"{name}From", $"Give the {name} period as {name}From and {name}To (yyyy-MM-dd).");
            }

            return null;
        }

        var (first, last) = (Day(from, $"{name}From", errors), Day(to, $"{name}To", errors));
        if (first is null || last is null)
        {
            if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
            {
                errors.Add($"{name}From", $"Give both {name}From and {name}To, or neither{(required ? "" : " (to compare with the training data)")}.");
            }

            return null;
        }

        return new Core.Monitoring.Periods.DayRange(first.Value, last.Value);
    }

    public static async Task<IResult> StartDriftCheck(
        string tenant, string useCase, DriftCheckStart? body, DriftStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.RunAccepted(await starter.StartAsync(tenant, useCase, body?.Source, "api", user.Actor(), ct));

    private static DateOnly? Day(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(field, $"{field} must be a date as yyyy-MM-dd; it was '{text}'.");
        return null;
    }
}

/// <summary>What <c>POST .../drift-checks</c> sends: the source to check, or null for both.</summary>
public sealed record DriftCheckStart(string? Source = null);
