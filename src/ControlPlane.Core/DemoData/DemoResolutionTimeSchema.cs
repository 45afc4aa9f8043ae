namespace ControlPlane.Core.DemoData;

internal static class DemoResolutionTimeSchema
{
    /// <summary>Order matters: priority spelling schemes (P4..P1) map by position.</summary>
    public static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    public static readonly double[] PriorityWeights = [0.25, 0.45, 0.22, 0.08];

    public static readonly string[] Teams = ["tier1", "tier2", "billing_ops", "engineering", "onboarding"];

    public static readonly double[] TeamWeights = [0.45, 0.25, 0.12, 0.1, 0.08];

    public static IReadOnlyList<DemoColumnSpec> Columns() =>
    [
        DemoTicketSchema.TicketKey(),
        DemoTicketSchema.OpenedAt(),
        DemoColumnSpec.Measure(
            "resolution_hours",
            0,
            new DemoUnitOption("hours", 1, 2, 0.7, ["resolution_hours", "hours_to_resolve", "time_to_resolution_h", "ttr_hours"]),
            new DemoUnitOption("minutes", 60, 0, 0.3, ["resolution_minutes", "minutes_to_resolve", "ttr_minutes", "resolution_time_min"]))
            .AsLabel(),
        DemoColumnSpec.Category("priority", Priorities, 0.1, "prio", "severity", "urgency", "priority_level")
            with { Flavor = DemoCategoryFlavor.Priority },
        DemoTicketSchema.Channel(0.5),
        DemoTicketSchema.Tier(2.0),
        DemoColumnSpec.Number("body_length", 0.4, "description_length", "message_chars", "body_chars", "text_length"),
        DemoColumnSpec.Number("reopen_count", 1.0, "reopens", "times_reopened", "reopened_count", "num_reopens"),
        DemoColumnSpec.Category("agent_team", Teams, 2.0, "team", "assigned_team", "support_team", "assignee_group"),
        DemoColumnSpec.Number("opened_hour", 0, "hour_opened", "created_hour", "hour_of_day", "open_hour"),
    ];
}
