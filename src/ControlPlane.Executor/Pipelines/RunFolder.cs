using System.Text.Json;
using ControlPlane.Core.Storage;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// A run's scratch folder in the tenant's region store (<c>tenants/{slug}/runs/{runId}/</c>): how the tasks of one run
/// hand results to each other, since each task is its own attempt and may run on another node. Deleted when the run
/// ends well; a failed run keeps it for diagnosis (a model artifact and a few small JSON files).
/// </summary>
public sealed class RunFolder(IArtifactStore store, string tenantSlug, Guid runId)
{
    public const string Lineage = "lineage.json";
    public const string Model = "model.zip";
    public const string Registered = "registered.json";
    public const string Serving = "serving.json";
    public const string Rivals = "rivals.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IArtifactStore Store { get; } = store;

    public string Prefix { get; } = $"{ArtifactPath.TenantRoot(tenantSlug)}runs/{runId:N}/";

    public string PathOf(string file) => Prefix + file;

    public async Task WriteJsonAsync<T>(string file, T value, CancellationToken ct)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value, Json));
        await Store.WriteAsync(PathOf(file), content, ct);
    }

    /// <exception cref="InvalidOperationException">An earlier task did not leave the file: says which task should have.</exception>
    public async Task<T> ReadJsonAsync<T>(string file, string writtenBy, CancellationToken ct)
    {
        await using var stream = await OpenAsync(file, writtenBy, ct);
        return await JsonSerializer.DeserializeAsync<T>(stream, Json, ct)
            ?? throw new InvalidOperationException($"'{PathOf(file)}' is empty; rerun the '{writtenBy}' task.");
    }

    /// <summary>Null when the file is not there (an optional result, e.g. no own-versus-pooled decision was made).</summary>
    public async Task<T?> ReadOptionalJsonAsync<T>(string file, CancellationToken ct) where T : class
    {
        await using var stream = await Store.OpenReadAsync(PathOf(file), ct);
        return stream is null ? null : await JsonSerializer.DeserializeAsync<T>(stream, Json, ct);
    }

    public async Task WriteAsync(string file, Stream content, CancellationToken ct) => await Store.WriteAsync(PathOf(file), content, ct);

    public async Task<Stream> OpenAsync(string file, string writtenBy, CancellationToken ct) =>
        await Store.OpenReadAsync(PathOf(file), ct)
        ?? throw new InvalidOperationException($"The run has no '{file}' in its folder: the '{writtenBy}' task did not finish; rerun it.");

    public Task<int> DeleteAsync(CancellationToken ct) => Store.DeleteTreeAsync(Prefix, ct);
}
