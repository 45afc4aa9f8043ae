using ControlPlane.Core.Home;
using ControlPlane.Web.Components.Home;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>Renders the home page's matrix component to HTML with Blazor's static renderer, as a server render of the page would.</summary>
public sealed class MatrixMarkup : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly HtmlRenderer _renderer;

    public MatrixMarkup()
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IJSRuntime, NoJs>();
        services.AddSingleton<NavigationManager, StaticNavigation>();
        _services = services.BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, _services.GetRequiredService<ILoggerFactory>());
    }

    public Task<string> RenderAsync(HomeMatrix matrix) => _renderer.Dispatcher.InvokeAsync(async () =>
    {
        var output = await _renderer.RenderComponentAsync<MatrixTable>(
            ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(MatrixTable.Matrix)] = matrix }));
        return output.ToHtmlString();
    });

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    private sealed class NoJs : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => ValueTask.FromResult(default(TValue)!);
    }

    private sealed class StaticNavigation : NavigationManager
    {
        public StaticNavigation() => Initialize("http://localhost/", "http://localhost/");
    }
}
