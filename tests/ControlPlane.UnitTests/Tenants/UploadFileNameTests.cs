using ControlPlane.Core.Datasets;

namespace ControlPlane.UnitTests.Tenants;

public class UploadFileNameTests
{
    [Theory]
    [InlineData("accounts.csv", "accounts.csv")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\leads 2026.csv", "leads_2026.csv")]
    [InlineData("..", "upload")]
    [InlineData("rapport-été.parquet", "rapport-_t_.parquet")]
    public void File_names_are_made_safe_for_the_store(string name, string expected) =>
        Assert.Equal(expected, UploadService.SafeFileName(name));
}
