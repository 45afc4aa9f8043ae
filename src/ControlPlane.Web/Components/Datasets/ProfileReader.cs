using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Core.Datasets.Tabular;

namespace ControlPlane.Web.Components.Datasets;

/// <summary>Reads a stored profile back into a <see cref="TableProfile"/>, with the options it was written with.</summary>
public static class ProfileReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static TableProfile Read(JsonElement profile) =>
        profile.Deserialize<TableProfile>(Options) ?? new TableProfile(0, []);
}
