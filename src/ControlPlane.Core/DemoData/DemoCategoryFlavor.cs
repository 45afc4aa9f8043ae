namespace ControlPlane.Core.DemoData;

/// <summary>Which spelling rules apply to a category column's values.</summary>
internal enum DemoCategoryFlavor
{
    Plain,
    Boolean,
    Country,
    Plan,
    Priority,
}
