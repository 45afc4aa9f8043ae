using Quartz;

namespace ControlPlane.Executor.Schedules;

/// <summary>Reads a cron expression in either dialect: five fields (Unix crontab) or six/seven (Quartz, with seconds).</summary>
public static class CronText
{
    public static CronFormat FormatOf(string expression) =>
        expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? CronFormat.Unix : CronFormat.Quartz;

    /// <summary>Null when the expression is valid, else a message that says why it is not.</summary>
    public static string? Problem(string? expression, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return "Cron expression is required, e.g. '0 3 * * *' (03:00 every day).";
        }

        try
        {
            var parsed = CronExpression.Parse(expression.Trim(), FormatOf(expression));
            return parsed.GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null
                ? $"Cron expression '{expression}' never fires again."
                : null;
        }
        catch (FormatException ex)
        {
            return $"Cron expression '{expression}' is invalid: {ex.Message}";
        }
    }

    public static string? TimeZoneProblem(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return null;
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
            return null;
        }
        catch (TimeZoneNotFoundException)
        {
            return $"Time zone '{timeZone}' is unknown; use an IANA name such as 'Europe/Berlin' or 'America/New_York'.";
        }
        catch (InvalidTimeZoneException)
        {
            return $"Time zone '{timeZone}' is invalid on this machine.";
        }
    }
}
