namespace ControlPlane.Core.DemoData;

/// <summary>Columns and vocabularies shared by the two support-ticket use cases.</summary>
internal static class DemoTicketSchema
{
    public static readonly string[] Queues = ["technical", "billing", "account", "shipping", "sales", "returns"];

    public static readonly double[] QueueWeights = [0.34, 0.22, 0.16, 0.12, 0.08, 0.08];

    public static readonly string[] Areas =
    [
        "billing_portal", "api", "integrations", "mobile_app", "dashboard",
        "reporting", "user_management", "orders", "checkout", "onboarding",
    ];

    public static readonly string[] AreaNames =
    [
        "billing portal", "API", "integrations", "mobile app", "dashboard",
        "reports", "user management", "orders page", "checkout", "onboarding wizard",
    ];

    public static readonly string[] Channels = ["email", "web_form", "chat", "phone", "api"];

    public static readonly double[] ChannelWeights = [0.45, 0.25, 0.17, 0.08, 0.05];

    public static readonly string[] Tiers = ["free", "standard", "premium", "enterprise"];

    public static DemoColumnSpec TicketKey() =>
        DemoColumnSpec.Key("ticket_id", "ticket", "case_id", "ticket_number", "request_id", "issue_id", "case_number");

    public static DemoColumnSpec OpenedAt() =>
        DemoColumnSpec.Time("opened_at", "created_at", "created", "submitted_at", "opened", "received_at", "date_opened");

    public static DemoColumnSpec Channel(double missingWeight) =>
        DemoColumnSpec.Category("channel", Channels, missingWeight, "source", "via", "contact_channel", "origin", "medium");

    public static DemoColumnSpec Tier(double missingWeight) =>
        DemoColumnSpec.Category("customer_tier", Tiers, missingWeight, "tier", "support_tier", "sla_tier", "customer_plan", "plan_level");

    public static DemoWeightedChoice TierMix(DemoTenantSegment segment) => new(
        Tiers,
        segment switch
        {
            DemoTenantSegment.SmallBusiness => [0.35, 0.45, 0.15, 0.05],
            DemoTenantSegment.MidMarket => [0.15, 0.45, 0.28, 0.12],
            _ => [0.05, 0.3, 0.35, 0.3],
        });

    public static IReadOnlyList<DemoColumnSpec> RoutingColumns(IReadOnlyList<string> queues) =>
    [
        TicketKey(),
        OpenedAt(),
        DemoColumnSpec.Category("queue", queues, 0, "assigned_queue", "team", "department", "routing_queue", "group", "category").AsLabel(),
        DemoColumnSpec.Text("subject", 0.05, "title", "summary", "ticket_subject", "headline"),
        DemoColumnSpec.Text("body", 0.2, "description", "message", "details", "ticket_body", "content"),
        Channel(0.3),
        Tier(1.5),
        DemoColumnSpec.Category("product_area", Areas, 2.5, "component", "module", "area", "product", "feature_area"),
        DemoColumnSpec.Number("attachments", 0.5, "attachment_count", "num_attachments", "files_attached", "files"),
    ];
}
