namespace ControlPlane.ML.Rules;

/// <summary>
/// What tenants call the built-in use cases' columns, as seen in real exports (CRM, billing and help-desk tools), and
/// words that mean the same thing in a column name. Phrases are snake_case; they are compared as words, so any naming
/// style matches.
/// </summary>
internal static class MappingSynonyms
{
    public static readonly IReadOnlyDictionary<string, string[]> Phrases = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // Lead scoring
        ["lead_id"] = ["lead", "lead_key", "lead_number", "prospect_id", "contact_id", "record_id"],
        ["created_at"] = ["created", "created_date", "create_time", "creation_date", "lead_created_at", "first_seen_at"],
        ["converted"] = ["is_converted", "conversion", "conversion_flag", "won", "closed_won", "became_customer", "is_customer"],
        ["company_size"] = ["employees", "employee_count", "num_employees", "number_of_employees", "headcount", "org_size", "staff_count"],
        ["industry"] = ["vertical", "sector", "company_industry", "industry_segment"],
        ["country"] = ["country_code", "billing_country", "hq_country", "location_country", "nation"],
        ["lead_source"] = ["source", "acquisition_channel", "utm_source", "origin", "lead_origin", "channel"],
        ["pages_viewed"] = ["page_views", "web_visits", "site_pages", "pages_seen", "visits"],
        ["emails_opened"] = ["email_opens", "opens", "email_open_count", "mails_opened"],
        ["days_since_first_touch"] = ["days_in_funnel", "lead_age_days", "lead_age", "age_days", "days_since_first_visit"],
        ["has_demo_request"] = ["demo_requested", "requested_demo", "demo_request", "wants_demo"],
        ["title_seniority"] = ["seniority", "job_level", "contact_seniority", "title_level"],

        // Churn risk
        ["account_id"] = ["account", "acct_id", "customer_id", "org_id", "company_id", "subscription_id"],
        ["snapshot_date"] = ["as_of", "as_of_date", "snapshot_at", "report_date", "period_end", "observed_at"],
        ["churned"] = ["is_churned", "churn", "churn_flag", "did_churn", "cancelled", "canceled", "lost"],
        ["seats"] = ["licenses", "seat_count", "users", "active_seats", "licensed_users"],
        ["monthly_spend"] = ["mrr", "monthly_revenue", "spend_monthly", "monthly_bill", "monthly_amount", "spend"],
        ["logins_30d"] = ["logins_last_30_days", "login_count_30d", "sessions_30d", "monthly_logins"],
        ["support_tickets_90d"] = ["tickets_90d", "support_cases_90d", "ticket_count_90d", "cases_last_90_days"],
        ["nps_score"] = ["nps", "nps_rating", "recommend_score", "last_nps"],
        ["plan"] = ["plan_name", "subscription_plan", "pricing_plan", "package", "tier"],
        ["tenure_months"] = ["tenure", "months_active", "months_subscribed", "customer_age", "days_active", "days_since_signup"],
        ["payment_failures"] = ["failed_payments", "payment_failure_count", "dunning_events", "declined_charges"],
        ["last_login_days"] = ["days_since_last_login", "days_since_login", "last_seen_days", "inactive_days"],

        // Ticket routing and resolution time
        ["ticket_id"] = ["ticket", "ticket_number", "case_id", "case_number", "request_id", "issue_id"],
        ["opened_at"] = ["opened", "date_opened", "created_at", "created", "submitted_at", "received_at"],
        ["queue"] = ["assigned_queue", "routing_queue", "department", "group", "team", "category"],
        ["subject"] = ["title", "summary", "headline", "ticket_subject"],
        ["body"] = ["description", "message", "details", "content", "ticket_body", "text"],
        ["channel"] = ["contact_channel", "via", "medium", "source", "origin"],
        ["customer_tier"] = ["support_tier", "sla_tier", "customer_plan", "plan_level", "tier"],
        ["product_area"] = ["feature_area", "component", "module", "area", "product"],
        ["attachments"] = ["attachment_count", "num_attachments", "files_attached", "files"],
        ["resolution_hours"] = ["hours_to_resolve", "time_to_resolution", "resolution_time", "ttr"],
        ["priority"] = ["prio", "priority_level", "severity", "urgency"],
        ["body_length"] = ["description_length", "message_length", "text_length", "body_chars", "message_chars"],
        ["reopen_count"] = ["reopens", "times_reopened", "reopened_count", "num_reopens"],
        ["agent_team"] = ["assigned_team", "support_team", "assignee_group", "team"],
        ["opened_hour"] = ["hour_opened", "created_hour", "open_hour", "hour_of_day"],
    };

    /// <summary>Words that stand for one another inside a name ("cases_90d" ~ "tickets_90d"), in singular form.</summary>
    public static readonly IReadOnlyList<string[]> Words =
    [
        ["employee", "headcount", "staff"],
        ["spend", "revenue", "mrr", "bill", "amount", "charge"],
        ["seat", "license", "user"],
        ["login", "session", "sign"],
        ["ticket", "case", "request", "issue"],
        ["churn", "churned", "cancelled", "canceled", "lost"],
        ["converted", "conversion", "won"],
        ["opened", "created", "submitted", "received", "open", "create"],
        ["plan", "tier", "package"],
        ["body", "description", "message", "content", "text", "detail"],
        ["subject", "title", "headline", "summary"],
        ["team", "group", "department", "queue"],
        ["priority", "prio", "severity", "urgency"],
        ["reopen", "reopened"],
        ["attachment", "file"],
        ["tenure", "age"],
        ["length", "chars", "char"],
        ["account", "acct", "customer", "org", "company"],
    ];

    /// <summary>Units a tenant may add to a name ("spend_cents", "tenure_days"): they do not change what the column is.</summary>
    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal)
    {
        "cent", "dollar", "usd", "eur", "gbp", "minute", "min", "hour", "h", "day", "month", "week", "second", "sec", "m", "d",
    };

    /// <summary>The words of a name that are not units, or all of them when nothing else is left.</summary>
    public static string[] WithoutUnits(string[] words) =>
        words.Where(w => !Units.Contains(w)).ToArray() is { Length: > 0 } core ? core : words;

    /// <summary>Last words of a name that say it identifies something.</summary>
    public static readonly IReadOnlySet<string> IdentifierWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "key", "number", "no", "uuid", "guid", "ref", "code",
    };

    /// <summary>Names that say "this is what we predict" whatever the use case.</summary>
    public static readonly IReadOnlySet<string> LabelWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "label", "target", "outcome", "y", "class",
    };
}
