using ControlPlane.Core.Common;

namespace ControlPlane.UnitTests.Common;

public sealed class ServerPathsTests
{
    [Theory]
    [InlineData("Could not find file '/var/lib/cp/regions/us/tenants/acme/models/7/model.zip'.", "Could not find file '…/model.zip'.")]
    [InlineData("Access to the path /srv/data/x.csv is denied.", "Access to the path …/x.csv is denied.")]
    [InlineData(@"Could not find a part of the path 'C:\data\cp\a.parquet'.", "Could not find a part of the path '…/a.parquet'.")]
    [InlineData("Line 3 has 5 fields; the header has 7.", "Line 3 has 5 fields; the header has 7.")]
    [InlineData("see https://example.com/docs/page and 1/2 of rows", "see https://example.com/docs/page and 1/2 of rows")]
    public void Absolute_paths_are_cut_to_their_last_part(string message, string expected)
    {
        Assert.Equal(expected, ServerPaths.Scrub(message));
    }
}
