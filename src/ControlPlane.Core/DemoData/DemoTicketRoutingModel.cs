namespace ControlPlane.Core.DemoData;

/// <summary>
/// Hidden truth of a tenant's support desk: each ticket has an intent that shapes its words, product area,
/// channel and attachments; the queue is the intent, except where the product area overrides it.
/// </summary>
internal sealed record DemoTicketRoutingModel
{
    private static readonly Dictionary<string, double[]> AreaWeights = new(StringComparer.Ordinal)
    {
        // Order follows DemoTicketSchema.Areas.
        ["billing"] = [0.6, 0, 0, 0.03, 0.12, 0.05, 0.02, 0.03, 0.15, 0],
        ["technical"] = [0.06, 0.22, 0.18, 0.18, 0.14, 0.1, 0.05, 0.02, 0.02, 0.03],
        ["account"] = [0.03, 0.02, 0.03, 0.15, 0.15, 0, 0.55, 0, 0, 0.07],
        ["shipping"] = [0, 0, 0, 0.05, 0.03, 0, 0, 0.67, 0.25, 0],
        ["sales"] = [0.05, 0.05, 0.1, 0.02, 0.25, 0.15, 0, 0, 0, 0.38],
        ["returns"] = [0.03, 0, 0, 0.02, 0, 0, 0, 0.65, 0.3, 0],
    };

    private static readonly Dictionary<string, double> AttachmentMeans = new(StringComparer.Ordinal)
    {
        ["billing"] = 0.6, ["technical"] = 1.1, ["account"] = 0.2, ["shipping"] = 0.5, ["sales"] = 0.15, ["returns"] = 0.9,
    };

    public required IReadOnlyList<string> Queues { get; init; }
    public required DemoWeightedChoice Intent { get; init; }
    public required IReadOnlyDictionary<string, DemoWeightedChoice> AreaByIntent { get; init; }
    public required IReadOnlyDictionary<string, DemoWeightedChoice> ChannelByIntent { get; init; }
    public required DemoWeightedChoice Tier { get; init; }
    public required double AttachmentFactor { get; init; }
    public required bool RouteByArea { get; init; }

    public static DemoTicketRoutingModel Create(DemoRandom rng, DemoTenantSegment segment)
    {
        var optional = new List<string> { "account", "shipping", "sales", "returns" };
        rng.Shuffle(optional);
        var chosen = optional.Take(1 + rng.Next(optional.Count)).Append("technical").Append("billing").ToHashSet();
        var queues = DemoTicketSchema.Queues.Where(chosen.Contains).ToArray();
        var channels = new DemoWeightedChoice(DemoTicketSchema.Channels, DemoTicketSchema.ChannelWeights).Jitter(rng, 0.3);
        return new DemoTicketRoutingModel
        {
            Queues = queues,
            Intent = new DemoWeightedChoice(DemoTicketSchema.Queues, DemoTicketSchema.QueueWeights).Only(chosen).Jitter(rng, 0.35),
            AreaByIntent = queues.ToDictionary(q => q, q => new DemoWeightedChoice(DemoTicketSchema.Areas, AreaWeights[q]).Jitter(rng, 0.3)),
            ChannelByIntent = queues.ToDictionary(q => q, q => q switch
            {
                "technical" => channels.Boost("api", 3).Boost("web_form", 1.3),
                "sales" => channels.Boost("phone", 3).Boost("chat", 1.5),
                "account" => channels.Boost("chat", 1.5),
                _ => channels,
            }),
            Tier = DemoTicketSchema.TierMix(segment).Jitter(rng, 0.2),
            AttachmentFactor = rng.Uniform(0.8, 1.2),
            RouteByArea = false,
        };
    }

    /// <summary>Covariate drift: a chat widget launch and a billing change that floods the desk with invoices.</summary>
    public DemoTicketRoutingModel Drift(bool concept) => this with
    {
        Intent = Intent.Boost("billing", 1.8),
        ChannelByIntent = ChannelByIntent.ToDictionary(p => p.Key, p => p.Value.Boost("chat", 3)),
        AttachmentFactor = AttachmentFactor * 1.8,
        RouteByArea = concept,
    };

    public double AttachmentMean(string intent) => AttachmentMeans[intent] * AttachmentFactor;

    /// <summary>Concept drift is a reorganisation: product-area owners take over tickets about their area.</summary>
    public string Route(string intent, string area)
    {
        if (intent == "technical" && area == "billing_portal")
        {
            return "billing";
        }

        if (!RouteByArea)
        {
            return intent;
        }

        return area switch
        {
            "billing_portal" => "billing",
            "user_management" => Has("account") ? "account" : "technical",
            "orders" or "checkout" => Has("shipping") ? "shipping" : "billing",
            _ => intent,
        };
    }

    private bool Has(string queue) => Queues.Contains(queue);
}
