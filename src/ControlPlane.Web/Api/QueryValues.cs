using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace ControlPlane.Web.Api;

/// <summary>
/// Query-string values checked before the framework binds them (issue 16, point 9). The framework's binder answers a
/// value it cannot parse with a bare 400 that names nothing, and reads enum values case-sensitively (<c>?state=failed</c>
/// failed). Here, for every API endpoint, each query parameter of a simple type is read as the binder would read it:
/// enum values ignoring case (rewritten to the member's own spelling so binding succeeds), numbers, booleans, GUIDs and
/// dates in invariant form. A value that does not parse is a validation problem naming the parameter and what it takes.
/// </summary>
public static class QueryValues
{
    private static readonly ConcurrentDictionary<MethodInfo, Parameter[]> Plans = new();

    private sealed record Parameter(string Name, Type Type);

    public static WebApplication UseQueryValueChecks(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.QueryString.HasValue && context.Request.Path.StartsWithSegments("/api")
                && context.GetEndpoint() is RouteEndpoint endpoint
                && endpoint.Metadata.GetMetadata<MethodInfo>() is { } method
                && Plans.GetOrAdd(method, m => Plan(m, endpoint.RoutePattern)) is { Length: > 0 } plan)
            {
                var (errors, rewritten) = Check(context.Request.Query, plan);
                if (errors.Count > 0)
                {
                    await TypedResults.ValidationProblem(errors, title: "The request is invalid.",
                        detail: "A query-string value could not be read; each field says what it takes.").ExecuteAsync(context);
                    return;
                }

                if (rewritten is not null)
                {
                    context.Request.QueryString = QueryString.Create(rewritten);
                }
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The query parameters of simple types an endpoint binds, with their types (what is checked).</summary>
    public static IReadOnlyList<(string Name, Type Type)> ParametersOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<MethodInfo>() is { } method ? Plan(method, endpoint.RoutePattern).Select(p => (p.Name, p.Type)).ToArray() : [];

    private static Parameter[] Plan(MethodInfo method, RoutePattern route) =>
        method.GetParameters()
            .Where(p => p.Name is not null && route.GetParameter(p.Name) is null
                && p.GetCustomAttribute<FromRouteAttribute>() is null && p.GetCustomAttribute<FromBodyAttribute>() is null
                && p.GetCustomAttribute<FromHeaderAttribute>() is null && p.GetCustomAttribute<FromServicesAttribute>() is null
                && Simple(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .Select(p => new Parameter(p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name!, Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .ToArray();

    private static bool Simple(Type type) =>
        type.IsEnum || type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) || type == typeof(bool)
        || type == typeof(Guid) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly);

    private static (Dictionary<string, string[]> Errors, Dictionary<string, StringValues>? Rewritten) Check(IQueryCollection query, Parameter[] plan)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Dictionary<string, StringValues>? rewritten = null;
        foreach (var parameter in plan)
        {
            var key = query.Keys.FirstOrDefault(k => string.Equals(k, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                continue;
            }

            var values = query[key];
            var canonical = new string?[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i] ?? "";
                if (value.Length == 0)
                {
                    canonical[i] = value; // an empty value binds as "not given" for optional parameters
                    continue;
                }

                if (Problem(parameter.Type, value, out canonical[i]) is { } problem)
                {
                    errors[parameter.Name] = [problem];
                }
            }

            if (!errors.ContainsKey(parameter.Name) && canonical.Where((c, i) => c != values[i]).Any())
            {
                rewritten ??= query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal);
                rewritten[key] = new StringValues(canonical);
            }
        }

        return (errors, rewritten);
    }

    private static string? Problem(Type type, string value, out string? canonical)
    {
        canonical = value;
        var invariant = CultureInfo.InvariantCulture;
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            var match = names.FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
            canonical = match;
            return match is null ? $"'{value}' is not one of {string.Join(", ", names)} (any case)." : null;
        }

        return type switch
        {
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"'{value}' is not a whole number.",
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"'{value}' is not a whole number.",
            _ when type == typeof(double) || type == typeof(decimal) =>
                double.TryParse(value, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? null : $"'{value}' is not a number (use '.' for decimals).",
            _ when type == typeof(bool) => bool.TryParse(value, out _) ? null : $"'{value}' is not true or false.",
            _ when type == typeof(Guid) => Guid.TryParse(value, out _) ? null : $"'{value}' is not an id (a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).",
            _ when type == typeof(DateOnly) => DateOnly.TryParse(value, invariant, DateTimeStyles.None, out _) ? null : $"'{value}' is not a date (yyyy-MM-dd).",
            _ => DateTimeOffset.TryParse(value, invariant, DateTimeStyles.AssumeUniversal, out _) ? null : $"'{value}' is not a date and time (ISO 8601, such as 2026-12-07T09:30:00Z).",
        };
    }
}
