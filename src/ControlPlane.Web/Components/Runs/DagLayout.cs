using System.Globalization;

namespace ControlPlane.Web.Components.Runs;

/// <summary>
/// A layered drawing of a DAG: a task's column is its longest path from a root, tasks in a column are stacked (ordered by
/// where their upstream tasks sit, which keeps edges from crossing in simple graphs) and the columns are centred vertically.
/// </summary>
public sealed record DagLayout(IReadOnlyList<DagLayout.Node> Nodes, IReadOnlyList<DagLayout.Edge> Edges, double Width, double Height)
{
    public const double NodeWidth = 184;
    public const double NodeHeight = 58;
    private const double ColumnGap = 64;
    private const double RowGap = 18;
    private const double Margin = 6;

    public sealed record Node(string Name, int Column, int Row, double X, double Y);

    public sealed record Edge(string From, string To, string Path);

    /// <summary>Lays out tasks given as (name, upstream names); unknown upstream names are ignored.</summary>
    public static DagLayout Compute(IReadOnlyList<(string Name, IReadOnlyList<string> Upstream)> tasks)
    {
        var known = tasks.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var depth = tasks.ToDictionary(t => t.Name, _ => 0, StringComparer.Ordinal);
        // Relaxing in rounds finds longest paths whatever the input order; a DAG settles within n rounds.
        for (var round = 0; round < tasks.Count; round++)
        {
            var changed = false;
            foreach (var (name, upstream) in tasks)
            {
                var d = upstream.Where(known.Contains).Select(u => depth[u] + 1).DefaultIfEmpty(0).Max();
                changed |= d != depth[name];
                depth[name] = d;
            }

            if (!changed)
            {
                break;
            }
        }

        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = tasks.GroupBy(t => depth[t.Name]).OrderBy(g => g.Key).ToList();
        foreach (var column in columns)
        {
            var ordered = column.Select((t, i) => (t.Name, Key: Barycentre(t.Upstream, rows) ?? i)).OrderBy(t => t.Key).ToList();
            for (var row = 0; row < ordered.Count; row++)
            {
                rows[ordered[row].Name] = row;
            }
        }

        var tallest = columns.Count == 0 ? 0 : columns.Max(c => c.Count());
        var height = Math.Max(0, tallest * (NodeHeight + RowGap) - RowGap) + 2 * Margin;
        var nodes = tasks.Select(t =>
        {
            var count = columns.First(c => c.Key == depth[t.Name]).Count();
            var offset = (tallest - count) * (NodeHeight + RowGap) / 2;
            return new Node(t.Name, depth[t.Name], rows[t.Name],
                Margin + depth[t.Name] * (NodeWidth + ColumnGap), Margin + offset + rows[t.Name] * (NodeHeight + RowGap));
        }).ToList();
        var at = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var edges = tasks.SelectMany(t => t.Upstream.Where(known.Contains).Select(u => new Edge(u, t.Name, Curve(at[u], at[t.Name])))).ToList();
        var width = columns.Count == 0 ? 0 : columns.Count * (NodeWidth + ColumnGap) - ColumnGap + 2 * Margin;
        return new DagLayout(nodes, edges, width, height);
    }

    private static double? Barycentre(IReadOnlyList<string> upstream, Dictionary<string, int> rows)
    {
        var placed = upstream.Where(rows.ContainsKey).Select(u => (double)rows[u]).ToList();
        return placed.Count == 0 ? null : placed.Average();
    }

    // From the middle of the upstream node's right side to the middle of the downstream node's left side.
    private static string Curve(Node from, Node to)
    {
        var (x1, y1) = (from.X + NodeWidth, from.Y + NodeHeight / 2);
        var (x2, y2) = (to.X - 2, to.Y + NodeHeight / 2);
        var bend = (x2 - x1) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"M {x1:0.#} {y1:0.#} C {x1 + bend:0.#} {y1:0.#}, {x2 - bend:0.#} {y2:0.#}, {x2:0.#} {y2:0.#}");
    }
}
