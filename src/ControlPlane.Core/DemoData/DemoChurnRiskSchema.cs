namespace ControlPlane.Core.DemoData;

internal static class DemoChurnRiskSchema
{
    /// <summary>Order matters: plan spelling schemes map by position.</summary>
    public static readonly string[] Plans = ["free", "starter", "pro", "business", "enterprise"];

    public static readonly double[] SeatMedians = [2, 5, 15, 60, 400];

    public static readonly double[] PricePerSeat = [0, 12, 29, 49, 79];

    public static IReadOnlyList<DemoColumnSpec> Columns() =>
    [
        DemoColumnSpec.Key("account_id", "account", "customer_id", "acct_id", "org_id", "company_id", "subscription_id"),
        DemoColumnSpec.Time("snapshot_date", "as_of", "snapshot_at", "report_date", "period_end", "observed_at"),
        DemoColumnSpec.Flag("churned", 0, "is_churned", "cancelled", "did_churn", "churn_flag", "lost").AsLabel(),
        DemoColumnSpec.Number("seats", 0.1, "licenses", "seat_count", "users", "active_seats", "licensed_users"),
        DemoColumnSpec.Measure(
            "monthly_spend",
            0.4,
            new DemoUnitOption("{cur}", 1, 2, 0.7, ["monthly_spend", "mrr", "monthly_revenue", "spend_monthly", "monthly_bill"]),
            new DemoUnitOption("{cur} cents", 100, 0, 0.3, ["mrr_cents", "monthly_spend_cents", "spend_cents", "monthly_amount_cents"])),
        DemoColumnSpec.Number("logins_30d", 0.5, "logins_last_30_days", "login_count_30d", "sessions_30d", "monthly_logins"),
        DemoColumnSpec.Number("support_tickets_90d", 0.3, "tickets_90d", "support_cases_90d", "ticket_count_90d", "cases_last_90_days"),
        DemoColumnSpec.Number("nps_score", 4.0, "nps", "nps_rating", "recommend_score", "last_nps"),
        DemoColumnSpec.Category("plan", Plans, 0, "plan_name", "tier", "subscription_plan", "package", "pricing_plan")
            with { Flavor = DemoCategoryFlavor.Plan },
        DemoColumnSpec.Measure(
            "tenure_months",
            0.2,
            new DemoUnitOption("months", 1, 0, 0.75, ["tenure_months", "months_active", "customer_age_months", "tenure", "months_subscribed"]),
            new DemoUnitOption("days", 30.4375, 0, 0.25, ["tenure_days", "days_active", "customer_age_days", "days_since_signup"])),
        DemoColumnSpec.Number("payment_failures", 0.5, "failed_payments", "payment_failure_count", "dunning_events", "declined_charges"),
        DemoColumnSpec.Number("last_login_days", 1.2, "days_since_last_login", "last_seen_days", "inactive_days", "days_since_login"),
    ];
}
