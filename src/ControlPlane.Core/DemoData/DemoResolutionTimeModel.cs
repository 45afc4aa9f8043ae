namespace ControlPlane.Core.DemoData;

/// <summary>
/// Hidden truth of a tenant's service levels: log resolution time is additive in priority, tier, team, channel,
/// text length and (square-root) reopens, slower off-hours and on weekends, with an urgent × engineering interaction.
/// </summary>
internal sealed record DemoResolutionTimeModel
{
    public required DemoWeightedChoice Priority { get; init; }
    public required DemoWeightedChoice Channel { get; init; }
    public required DemoWeightedChoice Tier { get; init; }
    public required DemoWeightedChoice Team { get; init; }
    public required double BodyMedian { get; init; }
    public required double LogBase { get; init; }
    public required double[] PriorityEffect { get; init; }
    public required double[] TierEffect { get; init; }
    public required double[] TeamEffect { get; init; }
    public required double[] ChannelEffect { get; init; }
    public required double BodyWeight { get; init; }
    public required double ReopenWeight { get; init; }
    public required double OffHoursLift { get; init; }
    public required double WeekendLift { get; init; }

    public static DemoResolutionTimeModel Create(DemoRandom rng, DemoTenantSegment segment)
    {
        var scale = rng.Uniform(0.8, 1.2);
        return new DemoResolutionTimeModel
        {
            Priority = new DemoWeightedChoice(DemoResolutionTimeSchema.Priorities, DemoResolutionTimeSchema.PriorityWeights).Jitter(rng, 0.25),
            Channel = new DemoWeightedChoice(DemoTicketSchema.Channels, DemoTicketSchema.ChannelWeights).Jitter(rng, 0.3),
            Tier = DemoTicketSchema.TierMix(segment).Jitter(rng, 0.2),
            Team = new DemoWeightedChoice(DemoResolutionTimeSchema.Teams, DemoResolutionTimeSchema.TeamWeights).Jitter(rng, 0.3),
            BodyMedian = rng.Uniform(300, 600),
            LogBase = Math.Log(rng.Uniform(4, 24)),
            PriorityEffect = [.. new[] { 0.5, 0.0, -0.6, -1.3 }.Select(e => e * scale)],
            TierEffect = [.. new[] { 0.35, 0.0, -0.25, -0.45 }.Select(e => e + rng.Normal(0, 0.05))],
            TeamEffect = [.. new[] { -0.3, 0.2, 0.0, 0.9, 0.1 }.Select(e => e + rng.Normal(0, 0.1))],
            ChannelEffect = [0.1, 0.05, -0.35, -0.2, 0.2],
            BodyWeight = rng.Uniform(0.2, 0.4),
            ReopenWeight = rng.Uniform(0.35, 0.55),
            OffHoursLift = rng.Uniform(0.2, 0.45),
            WeekendLift = rng.Uniform(0.25, 0.5),
        };
    }

    /// <summary>Covariate drift: an incident-heavy period (more urgent, longer, engineering-bound tickets).</summary>
    public DemoResolutionTimeModel Drift(bool concept) => this with
    {
        Priority = Priority.Boost("high", 1.8).Boost("urgent", 2.2),
        BodyMedian = BodyMedian * 1.35,
        Team = Team.Boost("engineering", 2),
        LogBase = concept ? LogBase + 0.35 : LogBase,
        TeamEffect = concept ? [TeamEffect[0], TeamEffect[1], TeamEffect[2], 0.2, TeamEffect[4]] : TeamEffect,
        TierEffect = concept ? [.. TierEffect.Select(e => e * 0.5)] : TierEffect,
    };

    public DemoResolutionFeatures Sample(DemoRandom rng, DateTime openedUtc, int utcOffsetHours)
    {
        var team = Team.PickIndex(rng);
        var priority = Priority.PickIndex(rng);
        var engineering = team == 3;
        var local = openedUtc.AddHours(utcOffsetHours);
        return new DemoResolutionFeatures(
            Priority: priority,
            Channel: Channel.PickIndex(rng),
            Tier: Tier.PickIndex(rng),
            BodyLength: (int)Math.Clamp(BodyMedian * (engineering ? 1.5 : 1) * Math.Exp(rng.Normal(0, 0.7)), 15, 20_000),
            Reopens: Math.Min(9, rng.Poisson(0.2 + (engineering ? 0.25 : 0) + (priority == 0 ? 0.1 : 0))),
            Team: team,
            Hour: openedUtc.Hour,
            OffHours: local.Hour is < 8 or >= 18,
            Weekend: local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    public double LogHours(in DemoResolutionFeatures f) =>
        LogBase
        + PriorityEffect[f.Priority]
        + TierEffect[f.Tier]
        + TeamEffect[f.Team]
        + ChannelEffect[f.Channel]
        + (BodyWeight * Math.Log(f.BodyLength / 500.0))
        + (ReopenWeight * Math.Sqrt(f.Reopens) * 1.5)
        + (f.OffHours ? OffHoursLift : 0)
        + (f.Weekend ? WeekendLift : 0)
        + (f.Priority == 3 && f.Team == 3 ? 0.5 : 0);
}
