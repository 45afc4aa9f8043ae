using ControlPlane.Core;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.UnitTests.Options;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("ControlPlane:Monitoring:MaxRowsPerDay", "10",
        "ControlPlane:Monitoring:MaxRowsPerDay must be at least 1000: a smaller sample would judge drift on too few rows.")]
    [InlineData("ControlPlane:Database:Provider", "Postgres",
        "ControlPlane:Database:ConnectionString is required when ControlPlane:Database:Provider is Postgres.")]
    public void A_setting_out_of_bounds_is_named(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { [key] = value }));

        Assert.Contains(expected, error.Failures);
    }

    [Fact]
    public void The_defaults_pass()
    {
        var options = Options([]);

        Assert.Equal(50_000, options.Monitoring.MaxRowsPerDay);
    }

    private static ControlPlaneOptions Options(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddControlPlaneCore();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value;
    }
}
