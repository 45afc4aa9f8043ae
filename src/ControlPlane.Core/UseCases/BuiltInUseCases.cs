using ControlPlane.ML;

namespace ControlPlane.Core.UseCases;

/// <summary>The use cases every installation starts with. Column names are the canonical ones tenants map onto.</summary>
public static class BuiltInUseCases
{
    public static IReadOnlyList<UseCase> All() =>
    [
        new()
        {
            Key = "lead-scoring", Name = "Lead scoring", TaskType = TaskType.Binary,
            Description = "Probability that a new lead converts to a paying customer.",
            LabelColumn = "converted", EntityKeyColumn = "lead_id", EventTimeColumn = "created_at",
            DefaultFeatures =
            [
                new("company_size", FeatureType.Number, "Employees at the lead's company"),
                new("industry", FeatureType.Category),
                new("country", FeatureType.Category),
                new("lead_source", FeatureType.Category),
                new("pages_viewed", FeatureType.Number),
                new("emails_opened", FeatureType.Number),
                new("days_since_first_touch", FeatureType.Number),
                new("has_demo_request", FeatureType.Boolean),
                new("title_seniority", FeatureType.Category),
            ],
        },
        new()
        {
            Key = "churn-risk", Name = "Churn risk", TaskType = TaskType.Binary,
            Description = "Probability that an account cancels within the next 90 days.",
            LabelColumn = "churned", EntityKeyColumn = "account_id", EventTimeColumn = "snapshot_date",
            DefaultFeatures =
            [
                new("seats", FeatureType.Number),
                new("monthly_spend", FeatureType.Number),
                new("logins_30d", FeatureType.Number),
                new("support_tickets_90d", FeatureType.Number),
                new("nps_score", FeatureType.Number),
                new("plan", FeatureType.Category),
                new("tenure_months", FeatureType.Number),
                new("payment_failures", FeatureType.Number),
                new("last_login_days", FeatureType.Number),
            ],
        },
        new()
        {
            Key = "ticket-routing", Name = "Ticket routing", TaskType = TaskType.Multiclass,
            Description = "The support queue a new ticket belongs to, from its text and context.",
            LabelColumn = "queue", EntityKeyColumn = "ticket_id", EventTimeColumn = "opened_at",
            DefaultFeatures =
            [
                new("subject", FeatureType.Text),
                new("body", FeatureType.Text),
                new("channel", FeatureType.Category),
                new("customer_tier", FeatureType.Category),
                new("product_area", FeatureType.Category),
                new("attachments", FeatureType.Number),
            ],
        },
        new()
        {
            Key = "resolution-time", Name = "Resolution time", TaskType = TaskType.Regression,
            Description = "Hours until a ticket is resolved.",
            LabelColumn = "resolution_hours", EntityKeyColumn = "ticket_id", EventTimeColumn = "opened_at",
            DefaultFeatures =
            [
                new("priority", FeatureType.Category),
                new("channel", FeatureType.Category),
                new("customer_tier", FeatureType.Category),
                new("body_length", FeatureType.Number),
                new("reopen_count", FeatureType.Number),
                new("agent_team", FeatureType.Category),
                new("opened_hour", FeatureType.Number),
            ],
        },
    ];
}
