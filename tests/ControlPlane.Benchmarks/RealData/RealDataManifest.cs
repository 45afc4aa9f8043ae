using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Benchmarks.RealData;

/// <summary>
/// The real-data tenants prepare.py wrote: per use case its task, label, event time and features, and per tenant the
/// rows both contestants learn from (train.csv) and the rows they are scored on (test.csv).
/// </summary>
public sealed record RealDataManifest(int Seed, double TestShare, IReadOnlyList<RealUseCase> UseCases)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs prepare.py (R's modeldata exported by Rscript, split into tenants) into <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidOperationException">Rscript, the modeldata package or python3 is missing: says what to install.</exception>
    public static async Task<RealDataManifest> PrepareAsync(string folder, CancellationToken ct)
    {
        await Tools.RunAsync(Tools.Python, [Tools.Script("prepare.py"), folder], ct);
        return JsonSerializer.Deserialize<RealDataManifest>(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json"), ct), Json)
               ?? throw new InvalidOperationException("prepare.py wrote an empty manifest.");
    }
}

public sealed record RealUseCase(
    string Key, string Name, string Task, string Label, string? Positive, string? EventTime, string EntityKey,
    IReadOnlyList<RealFeature> Features, IReadOnlyList<RealTenant> Tenants);

public sealed record RealFeature(string Name, string Type, bool Leak = false);

/// <param name="Renames">The tenant's raw column → the use case's feature it is.</param>
/// <param name="ExtraFeatures">Columns only this tenant has (the leaking copy of the label).</param>
public sealed record RealTenant(
    string Slug, int Rows, int TrainRows, int TestRows, string Train, string Test, IReadOnlyDictionary<string, string> Renames,
    IReadOnlyList<RealFeature> ExtraFeatures, string? TestFrom)
{
    [JsonIgnore]
    public bool Leaky => ExtraFeatures.Any(f => f.Leak);

    [JsonIgnore]
    public string AnchorPredictions => Path.Combine(Path.GetDirectoryName(Test)!, "anchor.csv");
}

/// <summary>The outside tools the scenario runs: Debian's python3 with scikit-learn, Rscript with modeldata.</summary>
internal static class Tools
{
    /// <summary>Debian's system python, where python3-sklearn installs (not a pyenv shim that may lack it).</summary>
    public const string Python = "/usr/bin/python3";

    public const string Install = "apt-get install -y --no-install-recommends r-base-core r-cran-modeldata python3-sklearn";

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "RealData", name);

    public static async Task RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{file} cannot be run ({ex.Message}). The real-data benchmark needs Debian's R and scikit-learn: {Install}");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(ct);
            var output = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Path.GetFileName(file)} {string.Join(' ', arguments.Select(Path.GetFileName))} failed ({process.ExitCode}): {(await error).Trim()}\n" +
                    $"The real-data benchmark needs Debian's R and scikit-learn: {Install}");
            }

            _ = await output;
        }
    }
}
