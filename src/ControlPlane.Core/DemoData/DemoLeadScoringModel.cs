namespace ControlPlane.Core.DemoData;

/// <summary>
/// Hidden truth of a tenant's funnel: a latent intent drives engagement, and conversion is a logistic function
/// of the observed features with an inverted-U in company size and a demo × seniority interaction.
/// </summary>
internal sealed record DemoLeadScoringModel
{
    public required double BaseRate { get; init; }
    public required DemoWeightedChoice Industry { get; init; }
    public required DemoWeightedChoice Country { get; init; }
    public required DemoWeightedChoice Source { get; init; }
    public required DemoWeightedChoice Seniority { get; init; }
    public required double SizeMedianLog { get; init; }
    public required double SizeSweetSpotLog { get; init; }
    public required double PagesLog { get; init; }
    public required double PagesWeight { get; init; }
    public required double EmailsWeight { get; init; }
    public required double DemoWeight { get; init; }
    public required double SizePenalty { get; init; }
    public required double DaysWeight { get; init; }
    public required double SeniorDemoBonus { get; init; }
    public required double[] SourceLift { get; init; }
    public required double[] SeniorityLift { get; init; }
    public required double[] IndustryLift { get; init; }

    public static DemoLeadScoringModel Create(DemoRandom rng, DemoTenantSegment segment, DemoRegion region)
    {
        var sizeMedian = segment switch { DemoTenantSegment.SmallBusiness => 20.0, DemoTenantSegment.MidMarket => 150.0, _ => 1200.0 };
        var sizeLog = Math.Log(sizeMedian * rng.Uniform(0.7, 1.4));
        return new DemoLeadScoringModel
        {
            BaseRate = rng.Uniform(0.05, 0.30),
            Industry = new DemoWeightedChoice(DemoLeadScoringSchema.Industries, DemoLeadScoringSchema.IndustryWeights).Jitter(rng, 0.5),
            Country = region.Countries.Jitter(rng, 0.3),
            Source = new DemoWeightedChoice(DemoLeadScoringSchema.Sources, DemoLeadScoringSchema.SourceWeights).Jitter(rng, 0.4),
            Seniority = new DemoWeightedChoice(DemoLeadScoringSchema.Seniorities, DemoLeadScoringSchema.SeniorityWeights).Jitter(rng, 0.3),
            SizeMedianLog = sizeLog,
            SizeSweetSpotLog = sizeLog + rng.Normal(0.3, 0.4),
            PagesLog = Math.Log(rng.Uniform(2.5, 5)),
            PagesWeight = rng.Uniform(0.7, 1.1),
            EmailsWeight = rng.Uniform(0.25, 0.5),
            DemoWeight = rng.Uniform(1.4, 2.2),
            SizePenalty = rng.Uniform(0.2, 0.35),
            DaysWeight = rng.Uniform(0.3, 0.6),
            SeniorDemoBonus = rng.Uniform(0.5, 0.9),
            SourceLift = [.. new[] { 0.2, 0.0, 0.9, 0.5, 0.4, -0.7, 0.6, -0.4 }.Select(w => w + rng.Normal(0, 0.25))],
            SeniorityLift = [.. new[] { -0.5, 0.0, 0.35, 0.55, 0.4 }.Select(w => w + rng.Normal(0, 0.15))],
            IndustryLift = [.. DemoLeadScoringSchema.Industries.Select(_ => rng.Normal(0, 0.4))],
        };
    }

    /// <summary>Covariate drift: a push into paid and social acquisition of smaller, more browsing-heavy leads.</summary>
    public DemoLeadScoringModel Drift(bool concept) => this with
    {
        Source = Source.Boost("paid_search", 3).Boost("social", 3),
        PagesLog = PagesLog + Math.Log(1.6),
        SizeMedianLog = SizeMedianLog - Math.Log(2),
        PagesWeight = concept ? PagesWeight * 0.4 : PagesWeight,
        DemoWeight = concept ? DemoWeight * 0.35 : DemoWeight,
        SeniorDemoBonus = concept ? 0 : SeniorDemoBonus,
        SourceLift = concept ? [.. SourceLift.Reverse()] : SourceLift,
    };

    public DemoLeadFeatures Sample(DemoRandom rng)
    {
        var intent = rng.Normal();
        var source = Source.PickIndex(rng);
        var sourceName = Source.Values[source];
        var engagedSource = sourceName is "webinar" or "event" or "referral" ? 1.3 : 1.0;
        var size = Math.Clamp(Math.Round(Math.Exp(rng.Normal(SizeMedianLog, 1.1))), 1, 250_000);
        return new DemoLeadFeatures(
            Intent: intent,
            CompanySize: size,
            Industry: Industry.PickIndex(rng),
            Country: Country.PickIndex(rng),
            Source: DemoLeadScoringSchema.Sources.AsSpan().IndexOf(sourceName),
            Pages: rng.Poisson(Math.Exp(PagesLog + (0.6 * intent)) * engagedSource),
            Emails: Math.Min(60, rng.Poisson(Math.Exp(0.8 + (0.45 * intent)))),
            Days: (int)Math.Min(720, rng.Exponential(35)),
            Demo: rng.Chance(DemoLabelCalibrator.Sigmoid(-2.0 + (1.1 * intent) + (engagedSource - 1))),
            Seniority: Seniority.PickIndex(rng));
    }

    public double Score(in DemoLeadFeatures f)
    {
        var sizeGap = Math.Log(f.CompanySize) - SizeSweetSpotLog;
        return (PagesWeight * Math.Log(1 + f.Pages))
            + (EmailsWeight * Math.Sqrt(f.Emails))
            + (f.Demo ? DemoWeight : 0)
            + (f.Demo && f.Seniority >= 2 ? SeniorDemoBonus : 0)
            + SourceLift[f.Source]
            + SeniorityLift[f.Seniority]
            + IndustryLift[f.Industry]
            - (SizePenalty * sizeGap * sizeGap)
            - (DaysWeight * Math.Log(1 + (f.Days / 14.0)))
            + (0.3 * f.Intent);
    }
}
