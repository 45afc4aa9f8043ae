using ControlPlane.Executor.Definitions;

namespace ControlPlane.UnitTests.Executor;

public class DagOrderTests
{
    private static Task Nothing(TaskContext _) => Task.CompletedTask;

    [Fact]
    public void Every_task_comes_after_all_of_its_upstream_tasks_whatever_the_declaration_order()
    {
        // Declared join-first, so declaration order alone would be wrong.
        var definition = Pipeline.Define("diamond", p => p
            .Task("join", Nothing).After("left", "right")
            .Task("right", Nothing).After("root")
            .Task("left", Nothing).After("root")
            .Task("root", Nothing)
            .Task("tail", Nothing).After("join"));

        var order = definition.Tasks.Select(t => t.Name).ToList();

        Assert.Equal(5, order.Count);
        foreach (var task in definition.Tasks)
        {
            foreach (var upstream in task.DependsOn)
            {
                Assert.True(order.IndexOf(upstream) < order.IndexOf(task.Name), $"{upstream} must come before {task.Name} in [{string.Join(", ", order)}]");
            }
        }

        Assert.Equal("root", order[0]);
        Assert.Equal("tail", order[^1]);
    }

    [Fact]
    public void Downstream_is_transitive_and_excludes_unrelated_branches()
    {
        var definition = Pipeline.Define("branches", p => p
            .Task("a", Nothing)
            .Task("b", Nothing).After("a")
            .Task("c", Nothing).After("b")
            .Task("x", Nothing));

        Assert.Equal(["b", "c"], definition.Downstream("a").Order());
        Assert.Empty(definition.Downstream("x"));
    }

    [Fact]
    public void A_cycle_is_rejected_with_its_path_in_the_direction_work_flows()
    {
        // a runs before b, b before c, c before a.
        var error = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("loop", p => p
            .Task("a", Nothing).After("c")
            .Task("b", Nothing).After("a")
            .Task("c", Nothing).After("b")));

        Assert.Equal("Pipeline 'loop' has a cycle: a → b → c → a.", error.Message);
    }

    [Fact]
    public void A_cycle_behind_an_acyclic_prefix_names_only_the_cycle()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("tail-loop", p => p
            .Task("start", Nothing)
            .Task("m", Nothing).After("start", "n")
            .Task("n", Nothing).After("m")));

        Assert.Contains("cycle: m → n → m.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_that_waits_for_itself_is_a_cycle()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("self", p => p.Task("a", Nothing).After("a")));

        Assert.Contains("cycle: a → a.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_dependency_is_named_with_the_task_that_waits_for_it()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("typo", p => p
            .Task("ingest", Nothing)
            .Task("train", Nothing).After("ingset")));

        Assert.Equal("Task 'train' of pipeline 'typo' depends on 'ingset', which the pipeline does not define.", error.Message);
    }

    [Fact]
    public void A_task_defined_twice_is_rejected()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("twice", p => p
            .Task("a", Nothing)
            .Task("a", Nothing)));

        Assert.Equal("Pipeline 'twice' defines task 'a' twice.", error.Message);
    }

    [Theory]
    [InlineData("Bad")]
    [InlineData("with space")]
    [InlineData("")]
    public void Malformed_names_are_rejected(string name)
    {
        Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define(name, p => p.Task("a", Nothing)));
        Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("ok", p => p.Task(name, Nothing)));
    }

    [Fact]
    public void A_pipeline_without_tasks_is_rejected()
    {
        var error = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("empty", _ => { }));

        Assert.Contains("no tasks", error.Message, StringComparison.Ordinal);
    }
}
