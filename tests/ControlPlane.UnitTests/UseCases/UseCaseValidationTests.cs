using ControlPlane.ML;
using ControlPlane.Core.UseCases;

namespace ControlPlane.UnitTests.UseCases;

public class UseCaseValidationTests
{
    [Fact]
    public void Built_in_use_cases_pass_their_own_validation()
    {
        foreach (var u in BuiltInUseCases.All())
        {
            var errors = UseCaseService.Validate(new CreateUseCaseRequest
            {
                Key = u.Key, Name = u.Name, TaskType = u.TaskType, LabelColumn = u.LabelColumn,
                EntityKeyColumn = u.EntityKeyColumn, EventTimeColumn = u.EventTimeColumn, Features = u.DefaultFeatures,
            });
            Assert.False(errors.Any, $"{u.Key}: {errors.Summary}");
        }
    }

    [Fact]
    public void Each_problem_is_reported_at_its_field()
    {
        var errors = UseCaseService.Validate(new CreateUseCaseRequest
        {
            Key = "x", LabelColumn = "label", EntityKeyColumn = "id",
            Features = [new("label", FeatureType.Number), new("ok", FeatureType.Text), new("bad name", FeatureType.Number)],
        }).ToDictionary();

        Assert.Contains("Key", errors.Keys);
        Assert.Contains("Name", errors.Keys);
        Assert.Contains("TaskType", errors.Keys);
        Assert.Contains("twice", errors["Features[0].Name"][0], StringComparison.Ordinal);
        Assert.DoesNotContain("Features[1].Name", errors.Keys);
        Assert.Contains("'bad name'", errors["Features[2].Name"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Built_ins_cover_every_task_type_and_text()
    {
        var all = BuiltInUseCases.All();
        Assert.Equal(Enum.GetValues<TaskType>().Order(), all.Select(u => u.TaskType).Distinct().Order());
        Assert.Contains(all.Single(u => u.Key == "ticket-routing").DefaultFeatures, f => f.Type == FeatureType.Text);
    }
}
