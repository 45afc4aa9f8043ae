namespace ControlPlane.Core.DemoData;

/// <summary>
/// One way a tenant may record a measure. Header synonyms belong to the unit because a column called
/// "resolution_minutes" must actually hold minutes.
/// </summary>
/// <param name="Unit">"{cur}" stands for the region's currency code.</param>
internal sealed record DemoUnitOption(string Unit, double Factor, int Decimals, double Weight, IReadOnlyList<string> Synonyms);
