using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>An app whose trainings are tiny (one trainer, two folds, a one-second search) so a retrain takes seconds.</summary>
public class RetrainFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Executor:PollIntervalMilliseconds"] = "50",
        ["ControlPlane:Training:TimeBudgetSeconds"] = "1",
        ["ControlPlane:Training:Folds"] = "2",
        ["ControlPlane:Training:Trainers:0"] = "fasttree",
        ["ControlPlane:Training:ExplainedRows"] = "3",
        // Lets a dataset too small to train on through validation, so the train task is the one that refuses it.
        ["ControlPlane:Validation:MinRows"] = "10",
    };
}
