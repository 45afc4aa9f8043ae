namespace ControlPlane.Core.DemoData;

/// <summary>
/// Hidden truth of a tenant's customer base: latent engagement, frustration and payment stress drive the
/// observed usage; churn is logistic in per-seat usage, recency, payments, NPS, tenure and a U-shape in tickets.
/// </summary>
internal sealed record DemoChurnRiskModel
{
    public required double BaseRate { get; init; }
    public required DemoWeightedChoice Plan { get; init; }
    public required double SeatFactor { get; init; }
    public required double PriceFactor { get; init; }
    public required double LoginFactor { get; init; }
    public required double TenureMean { get; init; }
    public required double LoginWeight { get; init; }
    public required double RecencyWeight { get; init; }
    public required double PaymentWeight { get; init; }
    public required double NpsWeight { get; init; }
    public required double DetractorLift { get; init; }
    public required double TenureWeight { get; init; }
    public required double TicketWeight { get; init; }
    public required double EarlyFailureLift { get; init; }
    public required double[] PlanLift { get; init; }

    public static DemoChurnRiskModel Create(DemoRandom rng, DemoTenantSegment segment)
    {
        double[] planWeights = segment switch
        {
            DemoTenantSegment.SmallBusiness => [0.25, 0.35, 0.25, 0.12, 0.03],
            DemoTenantSegment.MidMarket => [0.1, 0.25, 0.35, 0.22, 0.08],
            _ => [0.02, 0.1, 0.28, 0.3, 0.3],
        };
        return new DemoChurnRiskModel
        {
            BaseRate = rng.Uniform(0.03, 0.20),
            Plan = new DemoWeightedChoice(DemoChurnRiskSchema.Plans, planWeights).Jitter(rng, 0.3),
            SeatFactor = segment switch { DemoTenantSegment.SmallBusiness => 0.6, DemoTenantSegment.MidMarket => 1.0, _ => 2.5 },
            PriceFactor = rng.Uniform(0.8, 1.3),
            LoginFactor = 1,
            TenureMean = rng.Uniform(14, 30),
            LoginWeight = rng.Uniform(0.9, 1.3),
            RecencyWeight = rng.Uniform(0.5, 0.8),
            PaymentWeight = rng.Uniform(0.7, 1.1),
            NpsWeight = rng.Uniform(0.4, 0.6),
            DetractorLift = rng.Uniform(0.2, 0.5),
            TenureWeight = rng.Uniform(0.3, 0.5),
            TicketWeight = rng.Uniform(0.3, 0.6),
            EarlyFailureLift = rng.Uniform(0.5, 1.0),
            PlanLift = [.. new[] { 0.8, 0.4, 0.0, -0.3, -0.6 }.Select(w => w + rng.Normal(0, 0.15))],
        };
    }

    /// <summary>
    /// Covariate drift: a price increase, a shift to cheaper plans and falling usage. Concept drift: a competitor
    /// poaches long-standing, larger accounts, and failed payments start to matter far more than survey scores.
    /// </summary>
    public DemoChurnRiskModel Drift(bool concept) => this with
    {
        Plan = Plan.Boost("starter", 3),
        PriceFactor = PriceFactor * 1.15,
        LoginFactor = 0.55,
        TenureWeight = concept ? -TenureWeight : TenureWeight,
        PlanLift = concept ? [.. PlanLift.Reverse()] : PlanLift,
        PaymentWeight = concept ? PaymentWeight * 2 : PaymentWeight,
        NpsWeight = concept ? NpsWeight * 0.2 : NpsWeight,
        DetractorLift = concept ? 0 : DetractorLift,
    };

    public DemoChurnFeatures Sample(DemoRandom rng)
    {
        var plan = Plan.PickIndex(rng);
        var seats = plan == 0
            ? 1 + rng.Next(3)
            : Math.Max(1, (int)Math.Round(DemoChurnRiskSchema.SeatMedians[plan] * SeatFactor * Math.Exp(rng.Normal(0, 0.7))));
        var discount = plan == 4 ? rng.Uniform(0.6, 0.9) : 1.0;
        var spend = Math.Round(seats * DemoChurnRiskSchema.PricePerSeat[plan] * PriceFactor * discount, 2);
        var engagement = rng.Normal();
        var frustration = rng.Normal();
        var logins = rng.Poisson(Math.Pow(seats, 0.75) * Math.Exp(Math.Log(6) + (0.75 * engagement)) * LoginFactor);
        var lastLogin = logins > 0
            ? (int)Math.Min(29, rng.Exponential(2.5 * Math.Exp(-0.8 * engagement)))
            : 30 + (int)Math.Min(150, rng.Exponential(35));
        var nps = (int)Math.Clamp(Math.Round(7 + (1.1 * engagement) - (0.9 * frustration) + rng.Normal(0, 1.2)), 0, 10);
        return new DemoChurnFeatures(
            Engagement: engagement,
            Plan: plan,
            Seats: seats,
            MonthlySpend: spend,
            Logins: logins,
            Tickets: rng.Poisson(0.25 + (0.35 * Math.Pow(seats, 0.35) * Math.Exp(0.5 * frustration))),
            Nps: nps,
            TenureMonths: 0.5 + Math.Min(119, rng.Exponential(TenureMean)),
            PaymentFailures: plan == 0 ? 0 : rng.Poisson(0.12 * Math.Exp(0.9 * rng.Normal())),
            LastLoginDays: lastLogin);
    }

    public double Score(in DemoChurnFeatures f) =>
        (-LoginWeight * Math.Log(1 + ((double)f.Logins / f.Seats)))
        + (RecencyWeight * Math.Log(1 + f.LastLoginDays))
        + (PaymentWeight * f.PaymentFailures)
        + (NpsWeight * (7 - f.Nps) / 3.0)
        + (f.Nps <= 6 ? DetractorLift : 0)
        - (TenureWeight * Math.Log(1 + f.TenureMonths))
        + (f.Tickets == 0 ? 0.3 : 0)
        + (TicketWeight * Math.Log(1 + Math.Max(0, f.Tickets - 2)))
        + PlanLift[f.Plan]
        + (f.PaymentFailures > 0 && f.TenureMonths < 6 ? EarlyFailureLift : 0)
        - (0.3 * f.Engagement);
}
