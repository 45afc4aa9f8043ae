using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.ML.Training;

/// <summary>The JSON form of a <see cref="ModelReport"/>: camelCase names and enum values, nulls left out, NaN read and written as text, as metrics of degenerate splits may be.</summary>
public static class ModelReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(ModelReport report) => JsonSerializer.Serialize(report, Options);

    public static ModelReport Read(string json) =>
        JsonSerializer.Deserialize<ModelReport>(json, Options) ?? throw new JsonException("The model report is empty.");
}
