using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Pipelines;

namespace ControlPlane.UnitTests.Executor;

public class PipelineCatalogTests
{
    private static PipelineDefinition Tasks(string name) => Pipeline.Define(name, p => p.Task("a", _ => Task.CompletedTask));

    private static PipelineDefinition FanOut(string name, string child) => Pipeline.Define(name, p => p.FanOutTo(child));

    [Fact]
    public void A_fan_out_to_an_unknown_pipeline_is_rejected_naming_both()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => new PipelineCatalog([Tasks("child"), FanOut("retrain-all", "retrian")]));

        Assert.Contains("'retrain-all'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'retrian'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fan_out_to_another_fan_out_is_rejected()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() =>
            new PipelineCatalog([Tasks("leaf"), FanOut("middle", "leaf"), FanOut("top", "middle")]));

        Assert.Contains("'top'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipeline_name_defined_twice_is_rejected()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => new PipelineCatalog([Tasks("same"), Tasks("same")]));

        Assert.Equal("Pipeline 'same' is defined twice.", error.Message);
    }

    [Fact]
    public void Pipelines_are_found_by_name_and_an_unknown_name_lists_the_known_ones()
    {
        var catalog = new PipelineCatalog([DemoPipelines.Definition(), DemoPipelines.FanOutDefinition()]);

        Assert.Equal("demo", catalog.Get("demo").Name);
        Assert.Equal("demo", catalog.Get("demo-all").FanOut!.ChildPipeline);
        Assert.Null(catalog.Find("nope"));
        var error = Assert.Throws<KeyNotFoundException>(() => catalog.Get("nope"));
        Assert.Contains("known: demo, demo-all", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_pipeline_fans_in_before_train()
    {
        var demo = DemoPipelines.Definition();

        Assert.Equal(["featurize-numbers", "featurize-text"], demo.Task("train").DependsOn.Order());
        Assert.Equal(3, demo.Task("train").Retry.MaxAttempts);
    }
}
