using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;

namespace ControlPlane.Web.Components.Runs;

/// <summary>The run history's filters; dates are whole UTC days, <see cref="To"/> inclusive.</summary>
public sealed record RunFilter(string? Tenant = null, string? UseCase = null, string? Pipeline = null, RunState? State = null,
    DateTime? From = null, DateTime? To = null, RunSort Sort = RunSort.Created, bool Descending = true)
{
    /// <summary>The filters as a query string for the page's address ("?tenant=acme&amp;state=Failed"), defaults left out.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("tenant", Tenant);
        Add("useCase", UseCase);
        Add("pipeline", Pipeline);
        Add("state", State?.ToString());
        Add("from", From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (Sort != RunSort.Created || !Descending) Add("sort", $"{Sort.ToString().ToLowerInvariant()}{(Descending ? "-desc" : "")}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>The filters an address carries; what does not parse is left out.</summary>
    public static RunFilter FromQuery(IReadOnlyDictionary<string, string?> query)
    {
        string? Get(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        static DateTime? Day(string? text) => DateTime.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        var sort = Get("sort") ?? "created-desc";
        var descending = sort.EndsWith("-desc", StringComparison.Ordinal);
        var known = Enum.TryParse<RunSort>(descending ? sort[..^5] : sort, ignoreCase: true, out var by) && Enum.IsDefined(by);
        return new RunFilter(Get("tenant"), Get("useCase"), Get("pipeline"),
            Enum.TryParse<RunState>(Get("state"), ignoreCase: true, out var state) && Enum.IsDefined(state) ? state : null, Day(Get("from")), Day(Get("to")),
            known ? by : RunSort.Created, !known || descending);
    }

    /// <summary>
    /// The query for one page. Fan-out children are listed under their parent, unless a tenant is chosen: then its own
    /// runs are what the user is after, whoever started them.
    /// </summary>
    public RunQuery ToQuery(int page, int pageSize) => new()
    {
        Tenant = Tenant, UseCase = UseCase, Pipeline = Pipeline, State = State,
        Created = Core.Common.TimeRange.Days(From is { } from ? DateOnly.FromDateTime(from) : null, To is { } to ? DateOnly.FromDateTime(to) : null),
        TopLevelOnly = string.IsNullOrEmpty(Tenant),
        Sort = Sort, Descending = Descending,
        Page = page, PageSize = pageSize,
    };
}
