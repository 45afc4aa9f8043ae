namespace ControlPlane.Core.DemoData;

/// <summary>One account snapshot before encoding.</summary>
internal readonly record struct DemoChurnFeatures(
    double Engagement,
    int Plan,
    int Seats,
    double MonthlySpend,
    int Logins,
    int Tickets,
    int Nps,
    double TenureMonths,
    int PaymentFailures,
    int LastLoginDays);
