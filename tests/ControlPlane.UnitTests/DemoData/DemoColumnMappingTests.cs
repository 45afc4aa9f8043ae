using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoColumnMappingTests
{
    private static readonly string[] Slugs =
        ["acme-corp", "globex", "initech", "umbrella-eu", "hooli", "stark-industries", "wayne-enterprises", "cyberdyne", "tyrell", "soylent"];

    public static TheoryData<string, string[]> CanonicalColumns => new()
    {
        {
            DemoUseCaseKeys.LeadScoring,
            ["lead_id", "created_at", "converted", "company_size", "industry", "country", "lead_source", "pages_viewed",
                "emails_opened", "days_since_first_touch", "has_demo_request", "title_seniority"]
        },
        {
            DemoUseCaseKeys.ChurnRisk,
            ["account_id", "snapshot_date", "churned", "seats", "monthly_spend", "logins_30d", "support_tickets_90d",
                "nps_score", "plan", "tenure_months", "payment_failures", "last_login_days"]
        },
        {
            DemoUseCaseKeys.TicketRouting,
            ["ticket_id", "opened_at", "queue", "subject", "body", "channel", "customer_tier", "product_area", "attachments"]
        },
        {
            DemoUseCaseKeys.ResolutionTime,
            ["ticket_id", "opened_at", "resolution_hours", "priority", "channel", "customer_tier", "body_length",
                "reopen_count", "agent_team", "opened_hour"]
        },
    };

    [Theory]
    [MemberData(nameof(CanonicalColumns))]
    public void Mapping_covers_exactly_the_canonical_columns(string useCase, string[] expected)
    {
        var dataset = DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = "acme-corp", Rows = 10 });

        Assert.Equal(expected.Order(), dataset.Mapping.Keys.Order());
        Assert.Equal(expected[0], dataset.EntityKey.CanonicalName);
        Assert.Equal(expected[1], dataset.EventTime.CanonicalName);
        Assert.Equal(expected[2], dataset.Label.CanonicalName);
        Assert.Equal(dataset.Header, dataset.Columns.Select(c => c.RawName));
        Assert.Equal(dataset.Header.Count, dataset.Header.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(CanonicalColumns))]
    public void Tenants_rarely_share_a_header(string useCase, string[] canonical)
    {
        var datasets = Slugs
            .Select(s => DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = s, Rows = 5 }))
            .ToList();

        Assert.Equal(Slugs.Length, datasets.Select(d => string.Join("|", d.Header)).Distinct().Count());
        var variedColumns = canonical.Count(c => datasets.Select(d => d.Mapping[c]).Distinct().Count() >= 3);
        Assert.True(variedColumns >= canonical.Length - 1, $"Only {variedColumns} of {canonical.Length} columns vary.");
        Assert.True(datasets.Count(d => d.Mapping[canonical[0]] == canonical[0]) < Slugs.Length / 2);
    }

    [Fact]
    public void Standard_tenants_name_shared_use_cases_differently()
    {
        var northwind = DemoTenants.NorthwindTraders.Generate(DemoUseCaseKeys.LeadScoring);
        var fabrikam = DemoTenants.FabrikamEu.Generate(DemoUseCaseKeys.LeadScoring);

        Assert.True(northwind.Header.Intersect(fabrikam.Header).Count() < 3);
    }

    [Fact]
    public void Every_category_and_boolean_cell_uses_a_declared_spelling()
    {
        foreach (var dataset in DemoTenants.GenerateStandard())
        {
            foreach (var column in dataset.Columns.Where(c => c.Kind is DemoColumnKind.Category or DemoColumnKind.Boolean))
            {
                var index = dataset.IndexOf(column.CanonicalName);
                var spelled = column.Values.Values.ToHashSet(StringComparer.Ordinal);
                var cells = dataset.Rows.Select(r => r[index]).OfType<string>().ToList();
                Assert.NotEmpty(cells);
                Assert.All(cells, v => Assert.Contains(v, spelled));
            }
        }
    }

    [Fact]
    public void Tenants_differ_in_value_spellings_and_time_formats()
    {
        var datasets = Slugs
            .Select(s => DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, new DemoGenerationOptions { TenantSlug = s, Rows = 5 }))
            .ToList();

        Assert.True(datasets.Select(d => d.Label.Values["true"]).Distinct().Count() >= 3);
        Assert.True(datasets.Select(d => d.Column("plan").Values["starter"]).Distinct().Count() >= 2);
        Assert.True(datasets.Select(d => d.EventTime.Format).Distinct().Count() >= 2);
    }

    [Theory]
    [InlineData(DemoUseCaseKeys.ChurnRisk, "monthly_spend", "cent", 100, 5, 20_000)]
    [InlineData(DemoUseCaseKeys.ResolutionTime, "resolution_hours", "min", 60, 0.5, 200)]
    public void Alternative_units_are_recorded_and_applied(
        string useCase, string canonical, string nameHint, double factor, double plausibleLow, double plausibleHigh)
    {
        var tenants = Enumerable.Range(1, 30)
            .Select(seed => DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = "unit-co", Seed = seed, Rows = 400 }))
            .ToList();
        var converted = tenants.Where(d => d.Column(canonical).RawPerUnit != 1).ToList();

        Assert.NotEmpty(converted);
        Assert.NotEqual(tenants.Count, converted.Count);
        foreach (var dataset in converted)
        {
            var column = dataset.Column(canonical);
            Assert.Equal(factor, column.RawPerUnit);
            Assert.NotEqual(column.Unit, column.RawUnit);
            Assert.Contains(nameHint, column.RawName, StringComparison.OrdinalIgnoreCase);
            var frame = new DemoFrame(dataset);
            var raw = Enumerable.Range(0, frame.Count).Select(i => frame.Raw(i, canonical)).OfType<string>().ToList();
            Assert.All(raw, v => Assert.DoesNotContain(".", v, StringComparison.Ordinal));
            Assert.InRange(Median(frame.Numbers(canonical)), plausibleLow, plausibleHigh);
        }

        foreach (var dataset in tenants.Except(converted))
        {
            Assert.Equal(dataset.Column(canonical).Unit, dataset.Column(canonical).RawUnit);
            Assert.InRange(Median(new DemoFrame(dataset).Numbers(canonical)), plausibleLow, plausibleHigh);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
