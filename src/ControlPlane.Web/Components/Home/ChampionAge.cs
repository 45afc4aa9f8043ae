namespace ControlPlane.Web.Components.Home;

/// <summary>How long ago a model was trained, in the largest whole unit: "12 min", "5 h", "3 d".</summary>
public static class ChampionAge
{
    public static string Of(DateTime trainedAt, DateTime now)
    {
        var age = now - trainedAt;
        return age switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min",
            { TotalDays: < 1 } => $"{(int)age.TotalHours} h",
            _ => $"{(int)age.TotalDays} d",
        };
    }
}
