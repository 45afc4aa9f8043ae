using System.Collections;
using System.Reflection;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.UnitTests.Options;

public class SampleSettingsTests
{
    [Fact]
    public void The_sample_documents_every_setting_and_binds()
    {
        var sample = Path.Combine(RepositoryRoot(), "appsettings.sample.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(sample).Build();
        var section = configuration.GetSection(ControlPlaneOptions.Section);

        var missing = SettingPaths(typeof(ControlPlaneOptions), ControlPlaneOptions.Section)
            .Concat(SettingPaths(typeof(ControlPlane.Executor.ExecutorOptions), ControlPlane.Executor.ExecutorOptions.Section))
            .Where(path => !Exists(configuration, path))
            .ToList();

        Assert.True(missing.Count == 0, $"appsettings.sample.json lacks: {string.Join(", ", missing)}");
        var bound = section.Get<ControlPlaneOptions>()!;
        Assert.Equal(DatabaseProvider.Sqlite, bound.Database.Provider);
        Assert.Equal(["us", "eu"], bound.Regions.Select(r => r.Name));
    }

    private static bool Exists(IConfiguration configuration, string path) =>
        configuration.GetSection(path).Exists() || File.ReadAllText(Path.Combine(RepositoryRoot(), "appsettings.sample.json"))
            .Contains($"\"{path.Split(':')[^1]}\": null", StringComparison.Ordinal);

    private static IEnumerable<string> SettingPaths(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = $"{prefix}:{property.Name}";
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t.IsClass && t != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(t))
            {
                foreach (var child in SettingPaths(t, path))
                {
                    yield return child;
                }
            }
            else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                foreach (var child in SettingPaths(t.GetGenericArguments()[0], $"{path}:0"))
                {
                    yield return child;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }
}
