namespace ControlPlane.Core.Common;

public enum ResultStatus
{
    Ok,
    Invalid,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>The request body is larger than the configured limit (HTTP 413).</summary>
    TooLarge,
}

/// <summary>
/// The outcome of a feature service call. Errors are keyed by the request field they concern,
/// so the API can answer with problem details naming the field and the UI can show the message at the field.
/// </summary>
public sealed class Result<T>
{
    private Result(ResultStatus status, T? value, IReadOnlyDictionary<string, string[]> errors, string? message)
    {
        Status = status;
        Value = value;
        Errors = errors;
        Message = message;
    }

    public ResultStatus Status { get; }
    public T? Value { get; }
    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public string? Message { get; }
    public bool IsOk => Status == ResultStatus.Ok;

    public static Result<T> Ok(T value) => new(ResultStatus.Ok, value, Empty, null);

    public static Result<T> Invalid(ValidationErrors errors) =>
        new(ResultStatus.Invalid, default, errors.ToDictionary(), errors.Summary);

    public static Result<T> Invalid(string field, string message) =>
        Invalid(new ValidationErrors().Add(field, message));

    public static Result<T> Conflict(string field, string message) =>
        new(ResultStatus.Conflict, default, new Dictionary<string, string[]> { [field] = [message] }, message);

    public static Result<T> TooLarge(string field, string message) =>
        new(ResultStatus.TooLarge, default, new Dictionary<string, string[]> { [field] = [message] }, message);

    public static Result<T> NotFound(string message) => new(ResultStatus.NotFound, default, Empty, message);

    public static Result<T> Forbidden(string message) => new(ResultStatus.Forbidden, default, Empty, message);

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}
