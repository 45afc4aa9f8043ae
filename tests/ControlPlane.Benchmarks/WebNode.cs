using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Benchmarks;

/// <summary>
/// The built web app as a separate process (<c>dotnet ControlPlane.Web.dll</c>, the benchmark's own configuration, the
/// Production environment and the runtime settings the app ships with — server GC) on a free loopback port, configured by
/// environment variables, as the integration tests' <c>NodeProcess</c> starts it.
/// </summary>
public sealed class WebNode : IAsyncDisposable
{
    private const int KeptLines = 100;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WebNode(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;

    /// <summary>The web app's own build output, in the configuration this benchmark was built in (the benchmark project builds it first).</summary>
    public static string WebAssembly
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Path.Combine(BenchmarkDoc.RepositoryRoot(), "src", "ControlPlane.Web", "bin", configuration, "net10.0", "ControlPlane.Web.dll");
        }
    }

    public static async Task<WebNode> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        if (!File.Exists(WebAssembly))
        {
            throw new InvalidOperationException($"{WebAssembly} is missing: build tests/ControlPlane.Benchmarks (it builds the web app too).");
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(WebAssembly)!, // its content root: appsettings.json as shipped
        };
        start.ArgumentList.Add(WebAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web app.");
        var node = new WebNode(process, address);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitReadyAsync();
        return node;
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>CPU seconds the process has used so far (user + system, from /proc).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Resident memory of the process in MiB (VmRSS).</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited during start-up with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                if ((await Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The web app was not ready at {Address} within 90 s:{Environment.NewLine}{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
