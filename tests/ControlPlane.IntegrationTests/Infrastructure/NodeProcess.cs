using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>
/// The built web app as a real child process (<c>dotnet ControlPlane.Web.dll</c>) on a free loopback port, configured by
/// environment variables, that a test can kill outright (SIGKILL on Linux) and start again.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(string name, Process process, Uri address)
    {
        Name = name;
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ControlPlaneApp.AdminToken);
    }

    public string Name { get; }
    public Uri Address { get; }

    /// <summary>A client with the bootstrap admin token.</summary>
    public HttpClient Client { get; }

    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The web app next to the tests: the test project references it, so its build output is copied here.</summary>
    public static string WebAssembly => Path.Combine(AppContext.BaseDirectory, "ControlPlane.Web.dll");

    /// <summary>Settings every node of a test gets: a known admin and bootstrap token, no demo data, quiet logs.</summary>
    public static Dictionary<string, string> BaseSettings(string dataDirectory) => new()
    {
        ["ControlPlane:DataDirectory"] = dataDirectory,
        ["ControlPlane:Bootstrap:AdminEmail"] = ControlPlaneApp.AdminEmail,
        ["ControlPlane:Bootstrap:AdminPassword"] = ControlPlaneApp.AdminPassword,
        ["ControlPlane:Bootstrap:AdminToken"] = ControlPlaneApp.AdminToken,
        ["ControlPlane:Secrets:MasterKey"] = ControlPlaneApp.MasterKey,
        ["ControlPlane:Demo:Seed"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:ControlPlane"] = "Information",
        ["Logging:LogLevel:Quartz"] = "Information",
    };

    public static async Task<NodeProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        Assert.True(File.Exists(WebAssembly), $"{WebAssembly} is missing: build the solution first.");
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(WebAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web app.");
        var node = new NodeProcess(name, process, address);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitReadyAsync();
        return node;
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful stop of running attempts; waits until the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), $"{Name} (pid {_process.Id}) is still running after SIGKILL.");
        Assert.Equal(137, _process.ExitCode); // 128 + SIGKILL
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output => $"--- {Name} (pid {_process.Id}) output ---{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";

    private async Task WaitReadyAsync()
    {
        await Eventually.Until(async () =>
        {
            Assert.False(_process.HasExited, $"{Name} exited during start-up with code {(_process.HasExited ? _process.ExitCode : 0)}.{Environment.NewLine}{Output}");
            try
            {
                return (await Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ready => ready, $"{Name} to be ready at {Address}", TimeSpan.FromSeconds(60));
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
