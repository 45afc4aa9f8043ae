namespace ControlPlane.Core.DemoData;

internal sealed class DemoResolutionTimeGenerator : IDemoUseCaseGenerator
{
    private const double MinHours = 0.05;
    private const double MaxHours = 2000;

    public string Key => DemoUseCaseKeys.ResolutionTime;

    public DemoDataset Generate(DemoGenerationContext context)
    {
        var model = DemoResolutionTimeModel.Create(context.Profile, context.Style.Segment);
        var drifted = model.Drift(context.Options.ConceptDrift);
        var table = new DemoDatasetBuilder(context, DemoResolutionTimeSchema.Columns());
        int priority = table.Column("priority"), channel = table.Column("channel"), tier = table.Column("customer_tier");
        int body = table.Column("body_length"), reopens = table.Column("reopen_count"), team = table.Column("agent_team");
        int hour = table.Column("opened_hour"), label = table.Column("resolution_hours");

        var rng = context.Rows;
        var labelRng = context.Fork("labels");
        var sigma = 6 * context.Options.LabelNoise;
        for (var i = 0; i < context.Options.Rows; i++)
        {
            var m = context.IsDrifted(i) ? drifted : model;
            var f = m.Sample(rng, context.TimeOf(i), context.Region.UtcOffsetHours);
            table.Category(i, priority, DemoResolutionTimeSchema.Priorities[f.Priority]);
            table.Category(i, channel, DemoTicketSchema.Channels[f.Channel]);
            table.Category(i, tier, DemoTicketSchema.Tiers[f.Tier]);
            table.Number(i, body, f.BodyLength);
            table.Number(i, reopens, f.Reopens);
            table.Category(i, team, DemoResolutionTimeSchema.Teams[f.Team]);
            table.Number(i, hour, f.Hour);
            var hours = Math.Exp(m.LogHours(f) + labelRng.Normal(0, sigma));
            table.Number(i, label, Math.Clamp(hours, MinHours, MaxHours));
        }

        return table.Build(DemoTaskKind.Regression, null, ["priority", "body_length", "agent_team"]);
    }
}
