namespace ControlPlane.Executor.Engine;

/// <summary>
/// A failure a task explains in words for the run page: its message is recorded as it is, without the exception's type
/// name, and should say what to do next. Other exceptions are recorded as "Type: message".
/// </summary>
public class TaskFailure(string message, Exception? inner = null) : Exception(message, inner);
