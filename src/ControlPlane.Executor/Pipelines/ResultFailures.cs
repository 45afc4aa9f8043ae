using ControlPlane.Core.Common;

namespace ControlPlane.Executor.Pipelines;

/// <summary>Turns a service's refusal into a task failure whose error is the service's own words.</summary>
internal static class ResultFailures
{
    /// <param name="what">What failed, e.g. "The registry refused the model"; null uses the service's words alone.</param>
    public static T OrThrow<T>(this Result<T> result, string? what = null)
    {
        if (result.IsOk) return result.Value!;
        // A result's message already sums up its field errors; the errors alone are the words when there is none.
        var why = result.Message ?? string.Join(" ", result.Errors.SelectMany(e => e.Value));
        throw new InvalidOperationException(what is null ? why : $"{what}: {why}");
    }
}
