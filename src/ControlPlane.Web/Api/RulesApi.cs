using ControlPlane.Core.Datasets.Validation;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Security;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>
/// An enrollment's feature rules: read, save (the body is the overrides JSON itself, so error paths point into it),
/// versions, diff, preview and mapping suggestions. Invalid rules are 400 problem details keyed by rule path.
/// </summary>
public static class RulesApi
{
    /// <summary>A rule set is a few kilobytes; this leaves room for hundreds of rules and refuses anything absurd.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapRulesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}/rules").WithTags("Feature rules");
        group.MapGet("", GetRules).WithName("GetRules").WithSummary("The latest rules: the stored overrides and the effective rules.");
        group.MapPut("", SaveRules).WithName("SaveRules").RequireAuthorization(Policies.Analyze)
            .Accepts<JsonElement>("application/json")
            .WithSummary("Save the overrides JSON (the body) as the next version; ?comment= says why. Identical rules keep the latest version.");
        group.MapGet("/versions", ListRuleVersions).WithName("ListRuleVersions").WithSummary("Versions of the rules, newest first.");
        group.MapGet("/versions/{number:int}", GetRuleVersion).WithName("GetRuleVersion").WithSummary("One version; 0 is the use case's defaults.");
        group.MapGet("/diff", DiffRules).WithName("DiffRules").WithSummary("Changes in the effective rules from version ?from= to ?to= (0 = defaults).");
        group.MapPost("/preview", PreviewRules).WithName("PreviewRules").Accepts<JsonElement>("application/json")
            .WithSummary("The first rows of the latest dataset through the overrides in the body, unsaved.");
        group.MapGet("/suggestions", SuggestMapping).WithName("SuggestRuleMapping")
            .WithSummary("Raw columns of the latest dataset suggested for the label, keys and each feature.");
        return group;
    }

    public static async Task<IResult> GetRules(string tenant, string useCase, FeatureRuleService rules, CancellationToken ct) =>
        ApiResults.Ok(await rules.GetAsync(tenant, useCase, ct: ct), RulesResponse.From);

    public static async Task<IResult> GetRuleVersion(string tenant, string useCase, int number, FeatureRuleService rules, CancellationToken ct) =>
        ApiResults.Ok(await rules.GetAsync(tenant, useCase, number, ct), RulesResponse.From);

    public static async Task<IResult> ListRuleVersions(string tenant, string useCase, FeatureRuleService rules, CancellationToken ct) =>
        ApiResults.Ok(await rules.ListVersionsAsync(tenant, useCase, ct), v => v);

    public static async Task<IResult> SaveRules(
        string tenant, string useCase, string? comment, HttpRequest request, FeatureRuleService rules, DatasetValidationService validation,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        if (body is null) return TooLarge();
        var saved = await rules.SaveAsync(tenant, useCase, body, comment ?? "", user.Actor(), ct);
        if (!saved.IsOk) return ApiResults.Problem(saved);
        var report = await validation.RevalidateLatestAsync(tenant, useCase, saved.Value!.Number, ct);
        return TypedResults.Ok(RulesResponse.From(saved.Value) with { Revalidated = report is null ? null : new(report.DatasetVersion, report.Outcome) });
    }

    public static async Task<IResult> PreviewRules(
        string tenant, string useCase, int? rows, HttpRequest request, FeatureRuleService rules, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        return body is null ? TooLarge() : ApiResults.Ok(await rules.PreviewAsync(tenant, useCase, body, rows ?? 20, ct), p => p);
    }

    public static async Task<IResult> DiffRules(string tenant, string useCase, int? from, int? to, FeatureRuleService rules, CancellationToken ct)
    {
        if (from is null || to is null)
        {
            return ApiResults.Problem(Result<RuleChange[]>.Invalid(from is null ? "from" : "to", "Give both ?from= and ?to= (0 is the use case's defaults)."));
        }

        return ApiResults.Ok(await rules.DiffAsync(tenant, useCase, from.Value, to.Value, ct), c => c);
    }

    public static async Task<IResult> SuggestMapping(string tenant, string useCase, FeatureRuleService rules, CancellationToken ct) =>
        ApiResults.Ok(await rules.SuggestMappingAsync(tenant, useCase, ct), s => s);

    /// <summary>The body as text; null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[16 * 1024];
        var text = new StringBuilder();
        for (int read; (read = await reader.ReadAsync(buffer.AsMemory(), ct)) > 0;)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        return text.ToString();
    }

    private static IResult TooLarge() =>
        ApiResults.Problem(Result<RulesResponse>.TooLarge("json", $"The rules are larger than the limit of {MaxBodyBytes:N0} bytes."));
}

/// <summary>A rules version as the API shows it: overrides and effective rules in the rules' own JSON form (camelCase).</summary>
/// <summary>A dataset version validated again after a rules save, and its outcome now (passed, warnings, blocked).</summary>
public sealed record RevalidatedVersion(int DatasetVersion, string Outcome);

public sealed record RulesResponse(
    string Tenant, string UseCase, TaskType Task, int Number, string Comment, DateTime? CreatedAt, string? CreatedBy,
    JsonElement Overrides, JsonElement Effective)
{
    /// <summary>After a save: the newest dataset version, validated again because its report was by other rules; null when it needed nothing.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RevalidatedVersion? Revalidated { get; init; }

    public static RulesResponse From(RuleSetView view) => new(
        view.Tenant, view.UseCase, view.Task, view.Number, view.Comment, view.CreatedAt, view.CreatedBy,
        Json(view.Overrides), Json(view.Effective));

    private static JsonElement Json(RuleSet rules)
    {
        using var document = JsonDocument.Parse(RuleJson.Write(rules));
        return document.RootElement.Clone();
    }
}
