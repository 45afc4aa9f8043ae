namespace ControlPlane.Core.DemoData;

/// <summary>One lead before encoding; categories are indices into the model's choices.</summary>
internal readonly record struct DemoLeadFeatures(
    double Intent,
    double CompanySize,
    int Industry,
    int Country,
    int Source,
    int Pages,
    int Emails,
    int Days,
    bool Demo,
    int Seniority);
