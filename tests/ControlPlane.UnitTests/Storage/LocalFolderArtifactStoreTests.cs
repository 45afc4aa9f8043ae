using ControlPlane.Core.Storage;

namespace ControlPlane.UnitTests.Storage;

public sealed class LocalFolderArtifactStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cp-store-").FullName;

    [Fact]
    public async Task Writes_are_whole_files_that_replace_the_old_ones()
    {
        var store = new LocalFolderArtifactStore("us", _root);

        await store.WriteAsync("tenants/acme/a.bin", new MemoryStream([1, 2, 3]));
        var size = await store.WriteAsync("tenants/acme/a.bin", new MemoryStream([9, 8]));

        Assert.Equal(2, size);
        await using var read = await store.OpenReadAsync("tenants/acme/a.bin");
        var buffer = new MemoryStream();
        await read!.CopyToAsync(buffer);
        Assert.Equal([9, 8], buffer.ToArray());
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_failed_write_leaves_no_file_and_keeps_the_old_one()
    {
        var store = new LocalFolderArtifactStore("us", _root);
        await store.WriteAsync("tenants/acme/a.bin", new MemoryStream([1]));

        await Assert.ThrowsAsync<UploadTooLargeException>(() =>
            store.WriteAsync("tenants/acme/a.bin", new HashingReadStream(new MemoryStream(new byte[100]), maxBytes: 10)));

        Assert.Equal(["tenants/acme/a.bin"], await store.ListAsync("tenants/"));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
        await using var read = await store.OpenReadAsync("tenants/acme/a.bin");
        Assert.Equal(1, read!.Length);
    }

    [Fact]
    public async Task Delete_tree_removes_only_the_prefix()
    {
        var store = new LocalFolderArtifactStore("eu", _root);
        await store.WriteAsync("tenants/a/x/1.csv", new MemoryStream([1]));
        await store.WriteAsync("tenants/a/2.csv", new MemoryStream([1]));
        await store.WriteAsync("tenants/ab/3.csv", new MemoryStream([1]));

        Assert.Equal(2, await store.DeleteTreeAsync("tenants/a/"));

        Assert.Equal(["tenants/ab/3.csv"], await store.ListAsync("tenants/"));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("tenants/../../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("tenants\\a.txt")]
    [InlineData("c:/x.txt")]
    public async Task Paths_cannot_leave_the_store(string path)
    {
        var store = new LocalFolderArtifactStore("us", _root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(path, new MemoryStream([1])));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
