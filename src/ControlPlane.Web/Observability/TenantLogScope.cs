using System.Collections;

namespace ControlPlane.Web.Observability;

/// <summary>
/// Puts the request's tenant (and use case) into the logging scope of every request to a route with a
/// <c>{tenant}</c> segment — predict, feedback and the tenant routes — so each line any service logs while handling it
/// carries <c>Tenant</c> and <c>UseCase</c>. Values come from the matched route, never from headers: the API key and
/// bearer token are not part of any scope.
/// </summary>
public static class TenantLogScope
{
    public static WebApplication UseTenantLogScope(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ControlPlane.Requests");
        app.Use(next => context =>
        {
            var values = context.Request.RouteValues;
            return values.TryGetValue("tenant", out var tenant) && tenant is string slug
                ? InScopeAsync(next, context, logger, new Scope(slug, values.TryGetValue("useCase", out var u) ? u as string : null))
                : next(context);
        });
        return app;
    }

    private static async Task InScopeAsync(RequestDelegate next, HttpContext context, ILogger logger, Scope scope)
    {
        using (logger.BeginScope(scope))
        {
            await next(context);
        }
    }

    /// <summary>The scope's state: a list of pairs (what structured formatters read) printing as "Tenant:x UseCase:y".</summary>
    private sealed class Scope(string tenant, string? useCase) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => useCase is null ? 1 : 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Tenant", tenant),
            1 when useCase is not null => new("UseCase", useCase),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => useCase is null ? $"Tenant:{tenant}" : $"Tenant:{tenant} UseCase:{useCase}";
    }
}
