namespace ControlPlane.Core.DemoData;

internal sealed class DemoTicketRoutingGenerator : IDemoUseCaseGenerator
{
    public string Key => DemoUseCaseKeys.TicketRouting;

    public DemoDataset Generate(DemoGenerationContext context)
    {
        var model = DemoTicketRoutingModel.Create(context.Profile, context.Style.Segment);
        var drifted = model.Drift(context.Options.ConceptDrift);
        var composer = new DemoTicketTextComposer(context.Style, context.Region);
        var table = new DemoDatasetBuilder(context, DemoTicketSchema.RoutingColumns(model.Queues));
        int subject = table.Column("subject"), body = table.Column("body"), channel = table.Column("channel");
        int tier = table.Column("customer_tier"), area = table.Column("product_area");
        int attachments = table.Column("attachments"), label = table.Column("queue");

        var rng = context.Rows;
        var labelRng = context.Fork("labels");
        var noise = context.Options.LabelNoise;
        for (var i = 0; i < context.Options.Rows; i++)
        {
            var m = context.IsDrifted(i) ? drifted : model;
            var intent = m.Intent.Pick(rng);
            var areaIndex = m.AreaByIntent[intent].PickIndex(rng);
            var areaName = DemoTicketSchema.Areas[areaIndex];
            table.Text(i, subject, composer.Subject(intent, areaIndex, rng));
            table.Text(i, body, composer.Body(intent, areaIndex, rng));
            table.Category(i, channel, m.ChannelByIntent[intent].Pick(rng));
            table.Category(i, tier, m.Tier.Pick(rng));
            table.Category(i, area, areaName);
            table.Number(i, attachments, rng.Poisson(m.AttachmentMean(intent)));
            var queue = labelRng.Chance(noise) ? model.Intent.Pick(labelRng) : m.Route(intent, areaName);
            table.Category(i, label, queue);
        }

        return table.Build(DemoTaskKind.MulticlassClassification, null, ["channel", "attachments"]);
    }
}
