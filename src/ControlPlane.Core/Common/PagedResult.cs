namespace ControlPlane.Core.Common;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);

public enum SortDirection
{
    Ascending,
    Descending,
}
