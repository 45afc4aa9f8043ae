using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Serving;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Api;

/// <summary>
/// Real-time prediction: <c>POST /api/v1/predict/{tenant}/{useCase}</c> with the tenant's API key in <c>X-Api-Key</c>
/// (not an admin token): a key only ever reaches its own tenant's models. The body is <c>{"rows": [{...}]}</c> in the
/// tenant's own column names; the answer has one prediction per row and the model version that gave them.
/// </summary>
public static class PredictApi
{
    public const string KeyHeader = "X-Api-Key";
    public const string TenantItem = "ControlPlane.TenantKey.Tenant";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static WebApplication MapPredictApi(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.Serving.MaxRequestMegabytes * 1024L * 1024L;
        app.MapPost("/api/v1/predict/{tenant}/{useCase}", Predict)
            .WithName("Predict").WithTags("Predict")
            .WithSummary("Scores rows with the enrollment's champion model; ?explain=true adds each row's top (?top=, default 5) feature contributions. Authenticated by the tenant's API key in X-Api-Key.")
            .AllowAnonymous() // authorized by the tenant key, below, instead of a user or admin token
            .AddEndpointFilter(RequireTenantKey)
            .DisableAntiforgery()
            .WithMetadata(new BodySizeLimit(limit));
        app.MapPost("/api/v1/feedback/{tenant}/{useCase}", Feedback)
            .WithName("Feedback").WithTags("Predict")
            .WithSummary("Records actual outcomes (late labels) by entity key: {\"outcomes\": [{\"entityKey\": ..., \"label\": ..., \"occurredAt\": ...}]}; all or none. Authenticated by the tenant's API key in X-Api-Key.")
            .AllowAnonymous()
            .AddEndpointFilter(RequireTenantKey)
            .DisableAntiforgery()
            .WithMetadata(new BodySizeLimit(limit));
        return app;
    }

    public static Task<IResult> Predict(
        string tenant, string useCase, HttpRequest request, Predictor predictor, CancellationToken ct, bool explain = false, int top = 5) =>
        WithJsonBodyAsync(request, ct, async body =>
        {
            var result = await predictor.PredictAsync(tenant, useCase, body, explain, top, ct);
            // Serialized whole, then written with its length: one write, no chunked encoding.
            return result.IsOk
                ? TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(result.Value!, PredictJson.Default.PredictResponse), "application/json; charset=utf-8")
                : ApiResults.Problem(result);
        });

    public static Task<IResult> Feedback(string tenant, string useCase, HttpRequest request, FeedbackService feedback, CancellationToken ct) =>
        WithJsonBodyAsync(request, ct, async body =>
        {
            var result = await feedback.RecordAsync(tenant, useCase, body, ct);
            return result.IsOk ? TypedResults.Json(result.Value, Json) : ApiResults.Problem(result);
        });

    /// <summary>Hands the parsed body to <paramref name="answer"/>; a body over the size limit is 413 and one that is not JSON 400.</summary>
    private static async Task<IResult> WithJsonBodyAsync(HttpRequest request, CancellationToken ct, Func<JsonElement, Task<IResult>> answer)
    {
        JsonDocument document;
        try
        {
            document = await ReadJsonAsync(request, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiResults.Problem(Result<object>.TooLarge("body", $"The request body is larger than this server accepts ({ex.Message})."));
        }
        catch (JsonException ex)
        {
            return ApiResults.Problem(Result<object>.Invalid("body", $"The body is not valid JSON: {ex.Message}"));
        }

        using (document)
        {
            return await answer(document.RootElement);
        }
    }

    /// <summary>
    /// The body as one JSON document, read from the request's pipe and parsed in one go (the hot path: no stream
    /// adapter). The document keeps the memory it was parsed from, so the body is copied out of the pipe's buffers,
    /// which are reused once advanced past. The body size limit applies as it reads.
    /// </summary>
    private static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            if (read.IsCompleted || read.IsCanceled)
            {
                try
                {
                    return JsonDocument.Parse(System.Buffers.BuffersExtensions.ToArray(read.Buffer).AsMemory());
                }
                finally
                {
                    reader.AdvanceTo(read.Buffer.End);
                }
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>
    /// 401 without a valid key, 403 when the key is another tenant's, 429 when the key's tenant is over its rate; the
    /// key's tenant goes into the request's items.
    /// </summary>
    private static async ValueTask<object?> RequireTenantKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var keys = http.RequestServices.GetRequiredService<TenantKeyCache>();
        var owner = await keys.TenantOfAsync(http.Request.Headers[KeyHeader].ToString(), http.RequestAborted);
        if (owner is null)
        {
            http.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: string.IsNullOrWhiteSpace(http.Request.Headers[KeyHeader])
                    ? "This route needs the tenant's API key in the X-Api-Key header."
                    : "The API key in X-Api-Key is unknown or revoked.");
        }

        var tenant = (string?)http.GetRouteValue("tenant");
        if (!string.Equals(owner, tenant, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "This API key belongs to another tenant: a key may only call its own tenant's routes.");
        }

        if (http.RequestServices.GetRequiredService<TenantRateLimiter>().TryAcquire(owner) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"Tenant '{owner}' is over its request rate on this route; retry after {seconds} s.");
        }

        http.Items[TenantItem] = owner;
        return await next(context);
    }

    private sealed class BodySizeLimit(long maxBytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => maxBytes;
    }
}

/// <summary>The predict answer's JSON, generated at build time (camelCase, nulls left out): no reflection per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictResponse))]
internal sealed partial class PredictJson : JsonSerializerContext;
