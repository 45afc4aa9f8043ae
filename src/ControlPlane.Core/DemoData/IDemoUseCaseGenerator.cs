namespace ControlPlane.Core.DemoData;

internal interface IDemoUseCaseGenerator
{
    string Key { get; }

    DemoDataset Generate(DemoGenerationContext context);
}
