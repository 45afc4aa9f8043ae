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

    [Range(0.05, 0.5)]
    public double TestFraction { get; set; } = 0.2;

    [Range(0, 1_000)]
    public int ExplainedRows { get; set; } = 20;

    /// <summary>A tenant with fewer labelled rows than this is served by the pooled model without training its own.</summary>
    [Range(0, int.MaxValue)]
    public int MinRowsForOwnModel { get; set; } = 500;

    public TrainingSettings ToSettings() => new()
    {
        Seed = Seed, TimeBudget = TimeSpan.FromSeconds(TimeBudgetSeconds), Folds = Folds, Threads = Threads,
        Trainers = Trainers.Count == 0 ? null : Trainers, TestFraction = TestFraction, ExplainedRows = ExplainedRows,
    };
}
