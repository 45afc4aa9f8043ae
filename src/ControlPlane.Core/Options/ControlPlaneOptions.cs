using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Core.Options;

/// <summary>The "ControlPlane" configuration section. appsettings.sample.json documents every setting.</summary>
public sealed class ControlPlaneOptions
{
    public const string Section = "ControlPlane";

    /// <summary>Root folder of the embedded default: the SQLite file and local region stores live under it.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();
    public List<RegionOptions> Regions { get; set; } = [];
    public BootstrapOptions Bootstrap { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public SecurityOptions Security { get; set; } = new();
    public SecretsOptions Secrets { get; set; } = new();
    public UploadOptions Uploads { get; set; } = new();
    public DataSourceOptions DataSources { get; set; } = new();
    public ValidationOptions Validation { get; set; } = new();
    public TrainingOptions Training { get; set; } = new();
    public ServingOptions Serving { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public MonitoringOptions Monitoring { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public EgressOptions Egress { get; set; } = new();
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Connection string; for SQLite the default is a file under the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start.</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public enum ArtifactStoreKind
{
    Local,
    Database,
}

public sealed class RegionOptions
{
    [Required]
    public string Name { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public ArtifactStoreKind Store { get; set; } = ArtifactStoreKind.Local;

    /// <summary>Folder of a Local store; relative paths are under the data directory. Ignored for Database stores.</summary>
    public string? Path { get; set; }
}

public sealed class BootstrapOptions
{
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }

    /// <summary>A bearer token with the Admin role for automation; compared against its hash, never stored.</summary>
    public string? AdminToken { get; set; }
}

public sealed class DemoOptions
{
    /// <summary>Seed the demo tenants on first start. Null means: only on the embedded default (SQLite).</summary>
    public bool? Seed { get; set; }

    public DateTime? AsOfUtc { get; set; }
}

public sealed class SecurityOptions
{
    /// <summary>Failed sign-ins for one account from one client address before that address waits <see cref="LockoutMinutes"/> for it.</summary>
    [Range(1, 100)]
    public int MaxFailedSignInAttempts { get; set; } = 5;

    /// <summary>Failed sign-ins from one client address, whatever the accounts, before that address waits <see cref="LockoutMinutes"/>.</summary>
    [Range(1, 10_000)]
    public int MaxFailedSignInsPerAddress { get; set; } = 20;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;
}

/// <summary>
/// The master key that encrypts the Data Protection key ring (which in turn encrypts data-source credentials, webhook
/// secrets and sign-in cookies) before it is stored in the database. See docs/decisions/0031-master-key.md.
/// </summary>
public sealed class SecretsOptions
{
    /// <summary>32 random bytes in base64 (<c>openssl rand -base64 32</c>); the same on every node. Wins over the file.</summary>
    public string? MasterKey { get; set; }

    /// <summary>A file holding the base64 key (a mounted secret). When neither is set, {DataDirectory}/secrets/master.key is made once.</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>
    /// Rotation: the keys a new <see cref="MasterKey"/> replaces. They only decrypt; at start the key ring is re-encrypted
    /// with the new key. Remove them once every node runs with the new key.
    /// </summary>
    public List<string> PreviousMasterKeys { get; set; } = [];
}

public sealed class UploadOptions
{
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;
}

public sealed class DataSourceOptions
{
    /// <summary>Folders under which operators may point a path source; empty means no path sources at all.</summary>
    public List<string> AllowedPathRoots { get; set; } = [];
}

/// <summary>Thresholds of dataset validation; a rate is a share between 0 and 1. Warnings are reported, blocking stops training.</summary>
public sealed class ValidationOptions
{
    /// <summary>
    /// Fewer rows than this block the dataset: below it nothing about a model can be measured (training needs
    /// <see cref="ML.Training.TrainingSplit.MinimumRows"/> labelled rows). A small tenant above it is served by its
    /// use case's pooled model unless its own model measures better (decision 0035).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MinRows { get; set; } = ML.Training.TrainingSplit.MinimumRows;

    /// <summary>A multiclass label class with fewer rows than this is a warning.</summary>
    [Range(1, int.MaxValue)]
    public int MinRowsPerClass { get; set; } = 10;

    [Range(0.0, 1.0)]
    public double NullRateWarning { get; set; } = 0.2;

    [Range(0.0, 1.0)]
    public double NullRateBlocking { get; set; } = 0.5;

    /// <summary>Share of a column's non-empty cells that do not fit its type (e.g. "n/a" in a number column).</summary>
    [Range(0.0, 1.0)]
    public double MisfitRateWarning { get; set; } = 0.01;

    [Range(0.0, 1.0)]
    public double MisfitRateBlocking { get; set; } = 0.05;

    /// <summary>How many duplicate keys a report quotes as examples.</summary>
    [Range(1, 100)]
    public int MaxExamples { get; set; } = 5;

    /// <summary>A copy with an enrollment's own emptiness limit; the warning level never rises above it.</summary>
    public ValidationOptions WithNullRateBlocking(double limit)
    {
        var copy = (ValidationOptions)MemberwiseClone();
        copy.NullRateBlocking = limit;
        copy.NullRateWarning = Math.Min(NullRateWarning, limit);
        return copy;
    }
}

/// <summary>Real-time serving: the in-process cache of loaded models.</summary>
public sealed class ServingOptions
{
    /// <summary>
    /// How long a tenant's old API key keeps working after a rotation (unless the rotation says otherwise), so its callers
    /// can switch to the new key without an outage. Zero revokes it at once.
    /// </summary>
    public TimeSpan KeyRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Memory the model cache may hold, in megabytes, each model counted as <see cref="FixedKilobytesPerModel"/> plus
    /// <see cref="RetainedBytesPerArtifactByte"/> times its artifact's size. Beyond it the least recently used models are
    /// dropped and loaded again on their next request.
    /// </summary>
    [Range(16, 1_048_576)]
    public int CacheMemoryMegabytes { get; set; } = 2048;

    /// <summary>Memory a loaded model holds whatever its size (its ML.NET context, schema, transformers and a scorer); measured by the serving benchmark.</summary>
    [Range(0, 1_048_576)]
    public int FixedKilobytesPerModel { get; set; } = 340;

    /// <summary>Memory a loaded model holds per byte of its artifact, on top of the fixed part; measured by the serving benchmark.</summary>
    [Range(0.0, 100.0)]
    public double RetainedBytesPerArtifactByte { get; set; } = 3.6;

    /// <summary>Rows one predict request may hold; more is answered 413 (batch scoring is for large sets).</summary>
    [Range(1, 100_000)]
    public int MaxRowsPerRequest { get; set; } = 1000;

    /// <summary>Largest predict or feedback request body, in megabytes; a larger one is answered 413 before it is read.</summary>
    [Range(1, 1024)]
    public int MaxRequestMegabytes { get; set; } = 4;

    /// <summary>Predict and feedback requests admitted per second per tenant on each node; beyond it the answer is 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecondPerTenant { get; set; } = 1000;

    /// <summary>Requests a tenant may send at once above its steady rate (the token bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int BurstPerTenant { get; set; } = 2000;

    /// <summary>
    /// Models a node loads when it starts: the ones its cache used most recently before it stopped (saved every five
    /// minutes and at shutdown). 0 turns warm-up off.
    /// </summary>
    [Range(0, 120)]
    public int WarmUpModels { get; set; } = 100;

    /// <summary>Idle row scorers kept per model for reuse (a scorer is not thread-safe; one serves one request at a time).</summary>
    [Range(1, 256)]
    public int IdleScorersPerModel { get; set; } = 8;

    /// <summary>Share of predictions (real-time and batch) kept with their inputs in the prediction log for monitoring, 0–1.</summary>
    [Range(0.0, 1.0)]
    public double LogSampleRate { get; set; } = 0.01;

    /// <summary>Most rows of one batch partition kept in the prediction log, whatever the sample rate.</summary>
    [Range(0, 1_000_000)]
    public int MaxLoggedRowsPerPartition { get; set; } = 5000;

    /// <summary>Days of a backfill scored at once (each on its own database connection).</summary>
    [Range(1, 64)]
    public int BackfillParallelism { get; set; } = 2;

    /// <summary>Longest date range one backfill may cover, in days.</summary>
    [Range(1, 36_600)]
    public int MaxBackfillDays { get; set; } = 3660;
}
