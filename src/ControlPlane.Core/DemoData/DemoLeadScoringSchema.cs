namespace ControlPlane.Core.DemoData;

internal static class DemoLeadScoringSchema
{
    public static readonly string[] Industries =
    [
        "software", "financial_services", "healthcare", "retail", "manufacturing",
        "education", "media", "logistics", "public_sector", "nonprofit",
    ];

    public static readonly double[] IndustryWeights = [0.2, 0.12, 0.1, 0.12, 0.1, 0.08, 0.07, 0.08, 0.06, 0.07];

    public static readonly string[] Sources =
        ["organic_search", "paid_search", "referral", "webinar", "event", "outbound", "partner", "social"];

    public static readonly double[] SourceWeights = [0.24, 0.18, 0.1, 0.1, 0.07, 0.16, 0.06, 0.09];

    public static readonly string[] Seniorities = ["individual_contributor", "manager", "director", "vp", "c_level"];

    public static readonly double[] SeniorityWeights = [0.38, 0.3, 0.17, 0.09, 0.06];

    public static IReadOnlyList<DemoColumnSpec> Columns(DemoRegion region) =>
    [
        DemoColumnSpec.Key("lead_id", "lead", "lead_key", "prospect_id", "contact_id", "record_id", "lead_number"),
        DemoColumnSpec.Time("created_at", "created", "created_date", "lead_created_at", "first_seen_at", "create_time"),
        DemoColumnSpec.Flag("converted", 0, "is_converted", "won", "became_customer", "closed_won", "conversion_flag").AsLabel(),
        DemoColumnSpec.Number("company_size", 2.5, "employees", "headcount", "org_size", "employee_count", "num_employees"),
        DemoColumnSpec.Category("industry", Industries, 2.0, "vertical", "sector", "company_industry", "industry_segment"),
        DemoColumnSpec.Category(
            "country", region.Countries.Values, 0.6, "country_code", "billing_country", "hq_country", "location_country")
            with { Flavor = DemoCategoryFlavor.Country },
        DemoColumnSpec.Category("lead_source", Sources, 0.3, "source", "acquisition_channel", "origin", "utm_source", "channel"),
        DemoColumnSpec.Number("pages_viewed", 0.3, "page_views", "pageviews", "web_visits", "site_pages", "pages_seen"),
        DemoColumnSpec.Number("emails_opened", 0.4, "email_opens", "opens", "email_open_count", "mails_opened"),
        DemoColumnSpec.Number("days_since_first_touch", 0, "days_in_funnel", "lead_age_days", "age_days", "days_since_first_visit"),
        DemoColumnSpec.Flag("has_demo_request", 0, "demo_requested", "requested_demo", "demo_request", "wants_demo"),
        DemoColumnSpec.Category("title_seniority", Seniorities, 1.5, "seniority", "job_level", "contact_seniority", "title_level"),
    ];
}
