using System.ComponentModel.DataAnnotations;
using ControlPlane.ML.Training;

namespace ControlPlane.Core.Options;

/// <summary>
/// The "ControlPlane:Training" section: how the retrain pipeline trains every enrollment's model and when a tenant is
/// served by the pooled model of its use case and region instead of its own.
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>The seed of every training; fixed so that a retrain of the same data and rules reproduces its model.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Wall-clock budget of one enrollment's hyperparameter search, in seconds.</summary>
    [Range(1, 86_400)]
    public int TimeBudgetSeconds { get; set; } = 120;

    [Range(2, 10)]
    public int Folds { get; set; } = 3;

    /// <summary>Threads per training; with the "training" pool's slots this bounds the cores training uses.</summary>
    [Range(1, 64)]
    public int Threads { get; set; } = 1;

    /// <summary>Candidate trainers (e.g. ["fasttree"]); empty tries every candidate of the use case's task type.</summary>
    public List<string> Trainers { get; set; } = [];

    /// <summary>Share of labelled rows held out as the test split (the newest ones): only reported on.</summary>
    [Range(0.05, 0.45)]
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Share of labelled rows every choice is made on (the ones before the test rows): own or pooled, promotion, threshold, leakage.</summary>
    [Range(0.05, 0.45)]
    public double ValidationFraction { get; set; } = 0.2;

    [Range(0, 1_000)]
    public int ExplainedRows { get; set; } = 20;

    public TrainingSettings ToSettings() => new()
    {
        Seed = Seed, TimeBudget = TimeSpan.FromSeconds(TimeBudgetSeconds), Folds = Folds, Threads = Threads,
        Trainers = Trainers.Count == 0 ? null : Trainers, TestFraction = TestFraction, ValidationFraction = ValidationFraction,
        ExplainedRows = ExplainedRows,
    };
}
