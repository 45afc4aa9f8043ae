using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;

namespace ControlPlane.Web.Components.Runs;

/// <summary>The run history's filters; dates are whole UTC days, <see cref="To"/> inclusive.</summary>
public sealed record RunFilter(string? Tenant = null, string? UseCase = null, string? Pipeline = null, RunState? State = null,
    DateTime? From = null, DateTime? To = null)
{
    /// <summary>
    /// The query for one page. Fan-out children are listed under their parent, unless a tenant is chosen: then its own
    /// runs are what the user is after, whoever started them.
    /// </summary>
    public RunQuery ToQuery(int page, int pageSize) => new()
    {
        Tenant = Tenant, UseCase = UseCase, Pipeline = Pipeline, State = State,
        Created = Core.Common.TimeRange.Days(From is { } from ? DateOnly.FromDateTime(from) : null, To is { } to ? DateOnly.FromDateTime(to) : null),
        TopLevelOnly = string.IsNullOrEmpty(Tenant),
        Page = page, PageSize = pageSize,
    };
}
