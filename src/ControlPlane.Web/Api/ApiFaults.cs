using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace ControlPlane.Web.Api;

/// <summary>
/// Faults on API routes answered in the API's own language (issue 16, point 8; decision 0042): a JSON problem with a
/// correlation id (also in the <c>X-Correlation-Id</c> header and the log line of the fault) and no internals — never
/// the HTML error page, never a 405 because the error page does not take the request's method. A database that cannot
/// be reached is 503 with Retry-After, a full disk 507, anything else 500.
/// </summary>
public static class ApiFaults
{
    public const string CorrelationHeader = "X-Correlation-Id";

    private const int DiskFull = 28; // ENOSPC
    private const int DiskFullWindows = unchecked((int)0x80070070);

    public static WebApplication UseApiFaults(this WebApplication app)
    {
        app.UseWhen(IsMachineRoute, api => api.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = AnswerAsync,
            // A 404 from a handler that threw is still a fault here, not a "not found".
            StatusCodeSelector = _ => StatusCodes.Status500InternalServerError,
        }));
        return app;
    }

    public static bool IsMachineRoute(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi");

    private static async Task AnswerAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var correlation = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        var (status, title, detail) = Classify(error);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ControlPlane.Api.Faults")
            .LogError(error, "{Method} {Path} failed with {Status}; correlation id {CorrelationId}", context.Request.Method, context.Request.Path, status, correlation);
        context.Response.Clear();
        context.Response.Headers[CorrelationHeader] = correlation;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        await TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status, Title = title, Detail = $"{detail} Quote correlation id {correlation} when reporting it.",
            Extensions = { ["correlationId"] = correlation },
        }).ExecuteAsync(context);
    }

    internal static (int Status, string Title, string Detail) Classify(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException io && (io.HResult == DiskFull || io.HResult == DiskFullWindows))
            {
                return (StatusCodes.Status507InsufficientStorage, "The server is out of storage.",
                    "The server could not write: its disk is full. Nothing of this request was kept.");
            }

            if (e is DbException or TimeoutException || e.GetType().Name is "NpgsqlException" or "SqliteException")
            {
                return (StatusCodes.Status503ServiceUnavailable, "The database is not available.",
                    "The server could not reach its database. Nothing of this request was kept; try again shortly.");
            }
        }

        return (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", "The server failed to answer this request.");
    }
}
