namespace ControlPlane.ML.Training;

/// <summary>
/// A trained model: the fitted feature rules and the trainer's model in one ML.NET transformer chain, with its report.
/// <see cref="Save"/> writes one self-contained artifact (the chain and the report) that <see cref="Load"/> reads back.
/// </summary>
public sealed class TrainedModel
{
    // CONTRACT STUB — replaced by the real model (constructor, scoring, save/load).
    private TrainedModel(ModelReport report) => Report = report;

    public ModelReport Report { get; }

    public void Save(Stream stream) => throw new NotImplementedException();

    public static TrainedModel Load(Stream stream) => throw new NotImplementedException();
}
