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
            .AllowAnonymous() // authorized by the tenant key (KeyRefusalAsync) instead of a user or admin token
            .Produces<PredictResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .DisableAntiforgery()
            .WithMetadata(new BodySizeLimit(limit));
        app.MapPost("/api/v1/feedback/{tenant}/{useCase}", Feedback)
            .WithName("Feedback").WithTags("Predict")
            .WithSummary("Records actual outcomes (late labels) by entity key: {\"outcomes\": [{\"entityKey\": ..., \"label\": ..., \"occurredAt\": ...}]}; all or none. Authenticated by the tenant's API key in X-Api-Key.")
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithMetadata(new BodySizeLimit(limit));
        return app;
    }

    public static async Task<IResult> Predict(
        string tenant, string useCase, HttpContext http, Predictor predictor, PredictMetrics metrics, CancellationToken ct,
        bool explain = false, int top = 5)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = 0;
        var answer = default(IResult);
        try
        {
            // The key check is the handler's first step rather than an endpoint filter: the same answers, without the
            // filter pipeline's boxing on the hottest route.
            answer = await KeyRefusalAsync(http, tenant) ?? await WithJsonBodyAsync(http.Request, ct, async body =>
            {
                var result = await predictor.PredictAsync(tenant, useCase, body, explain, top, ct);
                rows = result.IsOk ? result.Value!.Predictions.Count : 0;
                // Serialized whole, then written with its length: one write, no chunked encoding.
                return result.IsOk
                    ? new Utf8JsonResult(JsonSerializer.SerializeToUtf8Bytes(result.Value!, PredictJson.Default.PredictResponse))
                    : ApiResults.Problem(result);
            });
            return answer;
        }
        finally
        {
            // An exception leaves no answer: the framework turns it into a 500 (a cancelled request too, counted alike).
            var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status500InternalServerError;
            metrics.Record(useCase, status, System.Diagnostics.Stopwatch.GetElapsedTime(started), rows);
        }
    }

    public static async Task<IResult> Feedback(string tenant, string useCase, HttpContext http, FeedbackService feedback, CancellationToken ct)
    {
        if (await KeyRefusalAsync(http, tenant) is { } refused)
        {
            return refused;
        }

        return await WithJsonBodyAsync(http.Request, ct, async body =>
        {
            var result = await feedback.RecordAsync(tenant, useCase, body, ct);
            return result.IsOk ? TypedResults.Json(result.Value, Json) : ApiResults.Problem(result);
        });
    }

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
    /// Null when the request's key is <paramref name="tenant"/>'s and its tenant is within its rate; otherwise the
    /// answer: 401 without a valid key, 403 when the key is another tenant's, 429 (with Retry-After) over the rate.
    /// </summary>
    private static async ValueTask<IResult?> KeyRefusalAsync(HttpContext http, string tenant)
    {
        var key = http.Request.Headers[KeyHeader].ToString();
        var owner = await http.RequestServices.GetRequiredService<TenantKeyCache>().TenantOfAsync(key, http.RequestAborted);
        if (owner is null)
        {
            http.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: string.IsNullOrWhiteSpace(key)
                    ? "This route needs the tenant's API key in the X-Api-Key header."
                    : "The API key in X-Api-Key is unknown or revoked.");
        }

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

        return null;
    }

    /// <summary>
    /// A JSON body already serialized: written with its length in one write. (TypedResults.Bytes would do the same
    /// through the file-result machinery — range and precondition checks a JSON answer never needs.)
    /// </summary>
    private sealed class Utf8JsonResult(byte[] body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        public int? StatusCode => StatusCodes.Status200OK;

        public string ContentType => "application/json; charset=utf-8";

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, 0, body.Length);
        }
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
