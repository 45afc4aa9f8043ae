using ControlPlane.Core.Tenants;
using System.Globalization;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Serving;

/// <summary>The model version that answered a predict request.</summary>
/// <param name="MappedBy">A pooled version: the tenant's own version whose fitted feature rules mapped the rows onto the pooled model's columns.</param>
public sealed record PredictingVersion(string Kind, int Number, PredictingVersion? MappedBy = null);

/// <summary>
/// One row's answer. Binary: <see cref="Probability"/> of the positive class and <see cref="Label"/> (probability at or
/// above the version's threshold, chosen on validation; 0.5 for versions trained before thresholds were chosen).
/// Multiclass: the predicted class in <see cref="Class"/> with its <see cref="Probability"/>, and every class's probability
/// in <see cref="ClassScores"/>. Regression: <see cref="Value"/>.
/// </summary>
/// <param name="Contributions">With <c>explain</c>: the features that moved this row's output most, largest effect first, in <paramref name="Units"/>.</param>
/// <param name="Units">With <c>explain</c>: "logOdds" (binary: ln(p / (1 − p)) of the probability), "classLogOdds" (multiclass: of the predicted class's probability) or "output" (regression).</param>
/// <param name="BaseValue">With <c>explain</c>: the model's mean output over its background training rows, in <paramref name="Units"/>; the same for every row.</param>
/// <param name="ExplainedValue">With <c>explain</c>: this row's output in <paramref name="Units"/> = <paramref name="BaseValue"/> + the sum of all contributions (the response lists the top ones).</param>
public sealed record RowPrediction(
    string? EntityKey, double? Probability = null, bool? Label = null, string? Class = null, double? Value = null,
    IReadOnlyDictionary<string, double>? ClassScores = null, IReadOnlyList<FeatureContribution>? Contributions = null,
    string? Units = null, double? BaseValue = null, double? ExplainedValue = null);

public sealed record PredictResponse(string Tenant, string UseCase, PredictingVersion Model, IReadOnlyList<RowPrediction> Predictions);

/// <summary>
/// Scores a batch of rows, given in the tenant's own column names, with the enrollment's champion: checks the rows
/// against the columns the model reads (a missing required column or a value of the wrong type is an error that names
/// the row and the column; extra columns are ignored; a missing optional column or a JSON null reads as missing and is
/// imputed as in training; an unseen category encodes as unseen), then scores them with a scorer rented from the
/// <see cref="ModelCache"/>. A champion that is the region's pooled model reads the use case's columns: the rows are
/// checked against the columns of the tenant's own version that maps them (<see cref="ChampionRef.Mapping"/>), mapped
/// by its fitted rules, and scored by the pooled model (<see cref="PooledLease"/>).
/// </summary>
public sealed class Predictor(
    ChampionDirectory champions, ModelCache cache, PredictionLogBuffer log, IOptions<ControlPlaneOptions> options, Monitoring.Sla.PredictLatencyRecorder latencies)
{
    /// <summary>Errors reported per request at most; the rest are counted.</summary>
    private const int MaxErrors = 20;

    /// <summary>Most contributions one explained row may list.</summary>
    public const int MaxTop = 50;

    /// <param name="explain">Add each row's top <paramref name="top"/> feature contributions (linear and tree models).</param>
    public async Task<Result<PredictResponse>> PredictAsync(
        string tenant, string useCase, JsonElement body, bool explain = false, int top = 5, CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (explain && top is < 1 or > MaxTop)
        {
            return Result<PredictResponse>.Invalid("top", $"top must be between 1 and {MaxTop}; it was {top}.");
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            return Result<PredictResponse>.Invalid("rows", "The body must be a JSON object with a \"rows\" array of rows: {\"rows\": [{\"column\": value, ...}]}.");
        }

        var count = rows.GetArrayLength();
        var limit = options.Value.Serving.MaxRowsPerRequest;
        if (count == 0)
        {
            return Result<PredictResponse>.Invalid("rows", "\"rows\" is empty: send at least one row.");
        }

        if (count > limit)
        {
            return Result<PredictResponse>.TooLarge("rows",
                $"\"rows\" holds {count.ToString("N0", CultureInfo.InvariantCulture)} rows; a request may hold at most {limit.ToString("N0", CultureInfo.InvariantCulture)}. Split it, or use batch scoring.");
        }

        var champion = await champions.FindAsync(tenant, useCase, ct);
        if (champion is null)
        {
            return Result<PredictResponse>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
        }

        if (champion.VersionId is not { } versionId)
        {
            return Result<PredictResponse>.Conflict("model",
                $"'{tenant}' has no champion model for '{useCase}' yet: retrain the enrollment and promote a version, then predict.");
        }

        var pooled = champion.Kind == ModelVersionKinds.Pooled;
        if (pooled && champion.Mapping is null)
        {
            return Result<PredictResponse>.Conflict("model",
                $"'{tenant}' is served by the pooled '{useCase}' model of region {champion.Region} (v{champion.Number}), which reads the use case's columns; " +
                "a tenant's rows reach them through the fitted feature rules of one of its own model versions, and it has none. Retrain the enrollment, then predict.");
        }

        using var lease = await RentAsync(champion, versionId, ct);
        if (lease is null)
        {
            return Result<PredictResponse>.Conflict("model",
                $"'{tenant}' is served by the pooled '{useCase}' model of region {champion.Region} (v{champion.Number}) through the feature rules of its own " +
                $"version {champion.Mapping!.Number}, which was trained before versions recorded how their rules map rows onto a pooled model. Retrain the enrollment, then predict.");
        }

        var errors = new ValidationErrors();
        var table = Read(rows, lease, errors, out var dropped);
        if (table is null)
        {
            if (dropped > 0)
            {
                errors.Add("rows", $"… and {dropped} more problems.");
            }

            return Result<PredictResponse>.Invalid(errors);
        }

        IReadOnlyList<RowExplanation>? explanations = null;
        if (explain)
        {
            explanations = lease.Explain(table);
            if (explanations is null)
            {
                return Result<PredictResponse>.Invalid("explain",
                    $"This model version ({lease.Report.Trainer}, {lease.Report.Task.ToString().ToLowerInvariant()}) was trained before explanations kept the training rows they start from; retrain the enrollment, or ask without explain=true.");
            }
        }

        var task = lease.Report.Task;
        var threshold = lease.Report.Threshold ?? 0.5;
        var scores = lease.Score(table);
        var predictions = new RowPrediction[table.RowCount];
        for (var i = 0; i < predictions.Length; i++)
        {
            var score = scores[i];
            predictions[i] = task switch
            {
                TaskType.Binary => new RowPrediction(score.EntityKey, Probability: score.Score, Label: score.Score >= threshold),
                TaskType.Multiclass => new RowPrediction(score.EntityKey, Probability: score.Score, Class: score.Class, ClassScores: score.ClassScores),
                _ => new RowPrediction(score.EntityKey, Value: score.Score),
            };
            if (explanations is not null)
            {
                var e = explanations[i];
                predictions[i] = predictions[i] with
                {
                    Contributions = e.Contributions.Take(top).ToArray(), Units = e.Units, BaseValue = e.BaseValue, ExplainedValue = e.Value,
                };
            }
        }

        var mappedBy = pooled ? new PredictingVersion(champion.Mapping!.Kind, champion.Mapping.Number) : null;
        LogSample(rows, lease, champion.EnrollmentId, versionId, predictions);

        // The p99 SLA's sample: answered requests only, from the parsed body to the predictions.
        latencies.Record(champion.EnrollmentId, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return Result<PredictResponse>.Ok(new PredictResponse(tenant, useCase, new PredictingVersion(champion.Kind!, champion.Number!.Value, mappedBy), predictions));
    }

    /// <summary>The champion's scorer; null when a pooled champion's mapping version cannot map rows (an older artifact).</summary>
    private ValueTask<IServingLease?> RentAsync(ChampionRef champion, Guid versionId, CancellationToken ct)
    {
        // The hit path (the model is loaded) answers without a task.
        return champion.Kind != ModelVersionKinds.Pooled && cache.TryRent(versionId) is { } lease
            ? ValueTask.FromResult<IServingLease?>(lease)
            : LoadAsync();

        async ValueTask<IServingLease?> LoadAsync()
        {
            if (champion.Kind != ModelVersionKinds.Pooled)
            {
                return await cache.RentAsync(versionId, ct);
            }

            try
            {
                return await cache.RentPooledAsync(versionId, champion.Mapping!.Id, ct);
            }
            catch (MappingUnavailableException)
            {
                return null;
            }
        }
    }

    /// <summary>Offers a sample of the answered rows, with the inputs the model read, to the prediction log.</summary>
    private void LogSample(JsonElement rows, IServingLease model, Guid enrollmentId, Guid versionId, RowPrediction[] predictions)
    {
        var r = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (log.Sample())
            {
                var p = predictions[r];
                log.Offer(new PredictionLogEntry
                {
                    EnrollmentId = enrollmentId, Source = PredictionSources.RealTime, At = DateTime.UtcNow, EntityKey = p.EntityKey,
                    ModelVersionId = versionId, Score = p.Probability ?? p.Value ?? 0, Label = p.Class ?? (p.Label is { } l ? (l ? "true" : "false") : null),
                    Inputs = InputsOf(row, model),
                });
            }

            r++;
        }
    }

    private static string InputsOf(JsonElement row, IServingLease model)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var column in model.InputColumns)
            {
                if (row.TryGetProperty(column.Name, out var value))
                {
                    json.WritePropertyName(column.Name);
                    value.WriteTo(json);
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The rows as a table of the lease's input columns; null (with <paramref name="errors"/>) when a row does not fit.
    /// Each row's properties are walked once and matched to columns by their UTF-8 names (rows usually list columns in
    /// the same order, so the next column is tried first); messages are formatted only for rows with a problem.
    /// </summary>
    private static RawTable? Read(JsonElement rows, IServingLease model, ValidationErrors errors, out int dropped)
    {
        var reported = 0;
        void Error(Field field, string message)
        {
            if (reported++ < MaxErrors) errors.Add(field.ToString(), message);
        }

        var count = rows.GetArrayLength();
        var shape = InputShape.Of(model);
        var columns = model.InputColumns;
        // Columns of missing values whose arrays are filled in place: what a row leaves out stays missing.
        var table = new RawTableColumn[columns.Count];
        var values = new Array[columns.Count];
        for (var c = 0; c < values.Length; c++)
        {
            table[c] = RawTableColumn.Missing(columns[c].Name, columns[c].Type, count);
            values[c] = table[c].Values;
        }

        Span<bool> present = columns.Count <= 256 ? stackalloc bool[columns.Count] : new bool[columns.Count];
        var r = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object)
            {
                Error(new Field(r), $"Row {r} is {Describe(row)}; each row must be an object of column names and values.");
                r++;
                continue;
            }

            present.Clear();
            var next = 0;
            foreach (var property in row.EnumerateObject())
            {
                var c = shape.Find(property, next);
                if (c < 0)
                {
                    continue; // a column the model does not read
                }

                next = c + 1;
                present[c] = true;
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    continue; // missing: imputed as in training
                }

                var column = columns[c];
                switch (values[c])
                {
                    case double?[] numbers:
                        if (JsonCells.Number(value, shape.Identifier[c]) is { } d) numbers[r] = d;
                        else Error(new Field(r, column.Name), $"Row {r}, column '{column.Name}': expected a number, got {Describe(value)}.");
                        break;
                    case bool?[] flags:
                        if (JsonCells.Flag(value) is { } flag) flags[r] = flag;
                        else Error(new Field(r, column.Name), $"Row {r}, column '{column.Name}': expected true or false, got {Describe(value)}.");
                        break;
                    case DateTime?[] times:
                        if (JsonCells.Time(value) is { } t) times[r] = t;
                        else Error(new Field(r, column.Name), $"Row {r}, column '{column.Name}': expected a date-time in ISO 8601 (\"2026-11-26T09:30:00Z\"), got {Describe(value)}.");
                        break;
                    case string?[] texts:
                        texts[r] = JsonCells.Text(value);
                        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                        {
                            Error(new Field(r, column.Name), $"Row {r}, column '{column.Name}': expected text, got {Describe(value)}.");
                        }

                        break;
                }
            }

            var complete = true;
            foreach (var c in shape.Required)
            {
                complete &= c < 0 ? false : present[c];
            }

            if (!complete)
            {
                var missing = model.RequiredColumns.Where(name => !row.TryGetProperty(name, out _)).Order(StringComparer.Ordinal).ToList();
                Error(new Field(r), $"Row {r} lacks the column{(missing.Count == 1 ? "" : "s")} the model reads: {string.Join(", ", missing)}.");
            }

            r++;
        }

        dropped = Math.Max(0, reported - MaxErrors);
        if (reported > 0)
        {
            return null;
        }

        return new RawTable(table);
    }

    /// <summary>What reading rows for one model needs, worked out once per model (input columns as UTF-8, identifiers, required indexes).</summary>
    private sealed class InputShape
    {
        private readonly byte[][] _names;

        private InputShape(IServingLease model)
        {
            var columns = model.InputColumns;
            _names = columns.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Name)).ToArray();
            var identifiers = model.IdentifierColumns;
            Identifier = columns.Select(c => identifiers.Contains(c.Name)).ToArray();
            var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
            // A required name that is not an input column can never be present: -1 marks it.
            Required = model.RequiredColumns.Select(name => index.TryGetValue(name, out var i) ? i : -1).ToArray();
        }

        public bool[] Identifier { get; }
        public int[] Required { get; }

        /// <summary>The model's shape, worked out on its first request and kept with it (two racing first requests both work it out: harmless).</summary>
        public static InputShape Of(IServingLease model) => model.ReaderState as InputShape ?? (InputShape)(model.ReaderState = new InputShape(model));

        /// <summary>The input column named as <paramref name="property"/>, trying <paramref name="next"/> first; -1 when none.</summary>
        public int Find(JsonProperty property, int next)
        {
            if (next < _names.Length && property.NameEquals(_names[next]))
            {
                return next;
            }

            for (var c = 0; c < _names.Length; c++)
            {
                if (c != next && property.NameEquals(_names[c]))
                {
                    return c;
                }
            }

            return -1;
        }
    }

    /// <summary>Where a problem is: "rows[3]" or "rows[3].column", formatted only when reported.</summary>
    private readonly record struct Field(int Row, string? Column = null)
    {
        public override string ToString() => Column is null ? $"rows[{Row}]" : $"rows[{Row}].{Column}";
    }

    /// <summary>A finite number, or a numeric string for an identifier column (entity keys often arrive quoted).</summary>
    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Shorten(value.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
