using ControlPlane.Core.Common;

namespace ControlPlane.Web.Api;

/// <summary>Turns a failed service result into RFC 7807 problem details that name the offending field.</summary>
public static class ApiResults
{
    public static IResult Problem<T>(Result<T> result) => result.Status switch
    {
        ResultStatus.Invalid => TypedResults.ValidationProblem(
            result.Errors, detail: result.Message, title: "The request is invalid."),
        ResultStatus.Conflict => TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(result.Errors)
        {
            Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = result.Message,
        }),
        ResultStatus.TooLarge => TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(result.Errors)
        {
            Status = StatusCodes.Status413PayloadTooLarge, Title = "The request is too large.", Detail = result.Message,
        }),
        ResultStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: result.Message),
        ResultStatus.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: result.Message),
        _ => throw new InvalidOperationException("A successful result is not a problem."),
    };

    /// <summary>200 with the value shaped by <paramref name="body"/>, or the problem.</summary>
    public static IResult Ok<T, TBody>(Result<T> result, Func<T, TBody> body) =>
        result.IsOk ? TypedResults.Ok(body(result.Value!)) : Problem(result);

    /// <summary>202 pointing at the run that was started, or the problem.</summary>
    public static IResult RunAccepted(Result<Executor.Runs.RunSummary> result) =>
        result.IsOk
            ? TypedResults.Accepted($"/api/v1/runs/{result.Value!.Id}", new { runId = result.Value.Id, run = result.Value })
            : Problem(result);

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: detail);
}
