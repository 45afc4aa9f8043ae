namespace ControlPlane.Web.Components.Home;

/// <summary>How long ago a model was trained, in the largest whole unit: "12 min ago", "5 h ago", "3 d ago".</summary>
public static class ChampionAge
{
    public static string Of(DateTime trainedAt, DateTime now)
    {
        var age = now - trainedAt;
        return age switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)age.TotalHours} h ago",
            _ => $"{(int)age.TotalDays} d ago",
        };
    }
}
