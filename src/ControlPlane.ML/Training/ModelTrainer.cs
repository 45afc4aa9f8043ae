using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Training;

/// <summary>Trains one model: split (by time when there are event times), search candidates within the budget, fit, evaluate, explain.</summary>
public static class ModelTrainer
{
    // CONTRACT STUB — replaced by the real trainer.
    /// <param name="progress">Percent done (0–100) and what is happening, for the run's progress bar.</param>
    /// <exception cref="TrainingException">The data cannot give a model (too few rows, a single class): the message says why.</exception>
    public static TrainedModel Train(
        RawTable data, RuleSet effective, TaskType task, TrainingSettings settings,
        Action<double, string>? progress = null, CancellationToken ct = default) =>
        throw new NotImplementedException();
}

/// <summary>The data cannot give a model; the message says why in words a tenant's analyst understands.</summary>
public sealed class TrainingException(string message) : Exception(message);
