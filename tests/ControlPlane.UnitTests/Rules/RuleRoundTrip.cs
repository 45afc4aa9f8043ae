using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.ML;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Compile, fit, transform; save, load, transform again; every output column must match bit for bit.</summary>
internal static class RuleRoundTrip
{
    public static IDataView Run(RuleSet rules, TaskType task, RawTable table)
    {
        var fitted = RuleCompiler.Compile(rules, task, table.Schema, MlContextFactory.Create(3)).Fit(table);
        var before = fitted.Transform(table);

        using var stream = new MemoryStream();
        fitted.Save(stream);
        stream.Position = 0;
        var ml = MlContextFactory.Create(4);
        var loaded = ml.Model.Load(stream, out var inputSchema);
        Assert.Equal(fitted.InputSchema.Select(c => (c.Name, c.Type)), inputSchema.Select(c => (c.Name, c.Type)));
        var after = loaded.Transform(fitted.Rules.View(table));

        // Loading through recompiled rules gives the same slot names and outputs.
        stream.Position = 0;
        var reloaded = RuleCompiler.Compile(rules, task, table.Schema, MlContextFactory.Create(5)).Load(stream);
        Assert.Equal(fitted.Slots, reloaded.Slots);
        Assert.Equal(RuleTables.Column(before, RuleCompiler.FeaturesColumn), RuleTables.Column(reloaded.Transform(table), RuleCompiler.FeaturesColumn));

        var columns = new[] { RuleCompiler.FeaturesColumn, RuleCompiler.LabelColumn, RuleCompiler.EntityKeyColumn, RuleCompiler.EventTimeColumn }
            .Where(c => before.Schema.GetColumnOrNull(c) is not null)
            .ToList();
        Assert.Contains(RuleCompiler.FeaturesColumn, columns);
        foreach (var column in columns)
        {
            var expected = RuleTables.Column(before, column);
            Assert.Equal(table.RowCount, expected.Count);
            Assert.Equal(expected, RuleTables.Column(after, column));
        }

        return before;
    }
}
