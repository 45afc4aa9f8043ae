using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Engine;

/// <summary>The logger a task gets: lines go to the attempt's log and to the app's log with run and task identifiers.</summary>
internal sealed class AttemptLogger(AttemptLogSink sink, ILogger appLogger, Guid runId, Guid attemptId, string task) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => appLogger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = $"{message} — {exception.GetType().Name}: {exception.Message}";
        }

        sink.Write(runId, attemptId, task, logLevel, message);
        appLogger.Log(logLevel, eventId, state, exception, formatter);
    }
}
