namespace ControlPlane.Executor.Definitions;

/// <summary>Checks a pipeline's tasks form a DAG and orders them; a cycle is reported with its path.</summary>
internal static class DagOrder
{
    public static IReadOnlyList<TaskDefinition> Sort(string pipeline, IReadOnlyList<TaskDefinition> tasks)
    {
        var byName = new Dictionary<string, TaskDefinition>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (!byName.TryAdd(task.Name, task))
            {
                throw new PipelineDefinitionException($"Pipeline '{pipeline}' defines task '{task.Name}' twice.");
            }
        }

        foreach (var task in tasks)
        {
            foreach (var dependency in task.DependsOn.Where(d => !byName.ContainsKey(d)))
            {
                throw new PipelineDefinitionException($"Task '{task.Name}' of pipeline '{pipeline}' depends on '{dependency}', which the pipeline does not define.");
            }
        }

        var ordered = new List<TaskDefinition>(tasks.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path, true: done
        var path = new Stack<string>();
        foreach (var task in tasks)
        {
            Visit(task);
        }

        return ordered;

        void Visit(TaskDefinition task)
        {
            if (state.TryGetValue(task.Name, out var done))
            {
                if (!done)
                {
                    // The path follows dependencies (against the flow of work); report it the way work flows: a → b means b runs after a.
                    var cycle = path.Reverse().SkipWhile(n => n != task.Name).Append(task.Name).Reverse();
                    throw new PipelineDefinitionException($"Pipeline '{pipeline}' has a cycle: {string.Join(" → ", cycle)}.");
                }

                return;
            }

            state[task.Name] = false;
            path.Push(task.Name);
            foreach (var dependency in task.DependsOn)
            {
                Visit(byName[dependency]);
            }

            path.Pop();
            state[task.Name] = true;
            ordered.Add(task);
        }
    }
}

public sealed class PipelineDefinitionException(string message) : Exception(message);
