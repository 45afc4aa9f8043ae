using ControlPlane.Core.Registry;

namespace ControlPlane.UnitTests.Registry;

public class ModelLinesTests
{
    [Fact]
    public void Own_and_pooled_lines_never_collide_and_pools_differ_by_region()
    {
        var id = Guid.NewGuid();

        Assert.NotEqual(ModelLines.ForEnrollment(id), ModelLines.ForPool(id, "us"));
        Assert.NotEqual(ModelLines.ForPool(id, "us"), ModelLines.ForPool(id, "eu"));
        Assert.True(ModelLines.ForPool(id, "us").Length <= 128);
    }

    [Fact]
    public void A_version_reference_names_pooled_versions_as_such()
    {
        Assert.Equal("v3", new ModelVersionRef(Guid.NewGuid(), ModelVersionKinds.Own, 3).ToString());
        Assert.Equal("pooled v2", new ModelVersionRef(Guid.NewGuid(), ModelVersionKinds.Pooled, 2).ToString());
    }
}
