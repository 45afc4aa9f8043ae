using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Executor;

public enum NodeRole
{
    /// <summary>Serves the UI and API and executes tasks (the default, and the only sensible role on SQLite).</summary>
    All,

    /// <summary>Serves the UI and API; tasks it starts run on executor nodes.</summary>
    Web,

    /// <summary>Executes tasks only.</summary>
    Executor,
}

/// <summary>The "ControlPlane:Executor" section.</summary>
public sealed class ExecutorOptions
{
    public const string Section = "ControlPlane:Executor";

    /// <summary>Join a Quartz cluster of several nodes on one PostgreSQL database.</summary>
    public bool Clustered { get; set; }

    public NodeRole NodeRole { get; set; } = NodeRole.All;

    /// <summary>This node's name in run history and logs; defaults to host name and process id.</summary>
    public string? NodeId { get; set; }

    /// <summary>Concurrent tasks per pool on this node. A task names its pool; unknown pools get the default's limit.</summary>
    public Dictionary<string, int> Pools { get; set; } = new(StringComparer.Ordinal)
    {
        ["default"] = 8,
        ["io"] = 4,
        ["training"] = 2,
        ["scoring"] = 4,
    };

    /// <summary>How often the dispatcher looks for work made ready elsewhere (other nodes, elapsed retry backoffs).</summary>
    [Range(10, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 200;

    /// <summary>How often a cluster node checks in; a node silent for longer than this (plus a margin) is presumed dead and its tasks recovered.</summary>
    [Range(1, 300)]
    public int ClusterCheckinSeconds { get; set; } = 5;

    /// <summary>
    /// A node whose heartbeat (written every second) has not moved for this long is presumed lost: any other node marks
    /// its running attempts interrupted and they run again elsewhere, without using up their retries.
    /// </summary>
    [Range(2, 300)]
    public int NodeLostSeconds { get; set; } = 5;

    /// <summary>How late a schedule's trigger may fire before it counts as missed (then it fires once and proceeds).</summary>
    [Range(1, 3600)]
    public int MisfireThresholdSeconds { get; set; } = 60;

    public int LimitFor(string pool) => Pools.TryGetValue(pool, out var limit) ? limit : Pools.GetValueOrDefault("default", 8);
}
