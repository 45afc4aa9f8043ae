namespace ControlPlane.Core.DemoData;

/// <summary>One ticket before encoding; <see cref="OffHours"/> and <see cref="Weekend"/> are in the customers' local time.</summary>
internal readonly record struct DemoResolutionFeatures(
    int Priority,
    int Channel,
    int Tier,
    int BodyLength,
    int Reopens,
    int Team,
    int Hour,
    bool OffHours,
    bool Weekend);
