namespace ControlPlane.ML.Training;

/// <summary>One row's prediction.</summary>
/// <param name="EntityKey">The row's entity key, when the rules map one.</param>
/// <param name="Score">Binary: the calibrated probability of the positive class. Multiclass: the predicted class's probability. Regression: the predicted value.</param>
/// <param name="Class">Multiclass: the predicted class's name; null otherwise.</param>
/// <param name="ClassScores">Multiclass: every class's probability, by class name; null otherwise.</param>
public sealed record ModelScore(string? EntityKey, double Score, string? Class, IReadOnlyDictionary<string, double>? ClassScores = null);
