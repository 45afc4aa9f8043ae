namespace ControlPlane.Core.DemoData;

/// <summary>Keys of the built-in use cases the demo generator produces data for.</summary>
public static class DemoUseCaseKeys
{
    public const string LeadScoring = "lead-scoring";
    public const string ChurnRisk = "churn-risk";
    public const string TicketRouting = "ticket-routing";
    public const string ResolutionTime = "resolution-time";

    public static IReadOnlyList<string> All { get; } = [LeadScoring, ChurnRisk, TicketRouting, ResolutionTime];
}
