using System.Globalization;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.ML;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Predictions;

/// <param name="Recorded">Outcomes in the request (after merging repeats of one entity and moment within it).</param>
/// <param name="Replaced">Of those, how many replaced an outcome recorded before for the same entity and moment.</param>
public sealed record FeedbackReceipt(string Tenant, string UseCase, int Recorded, int Replaced = 0);

/// <summary>The prediction an outcome answers: the latest one for its entity made at or before the outcome.</summary>
/// <param name="Source">"batch" (a batch score or backfill) or "realtime" (the sampled prediction log).</param>
public sealed record AnsweredPrediction(string Source, DateTime AsOf, string Model, double Score, string? Label);

public sealed record OutcomeView(string EntityKey, string Label, DateTime OccurredAt, DateTime ReceivedAt, AnsweredPrediction? Prediction);

/// <summary>
/// Late labels: records actual outcomes by entity key (all of a request or none of it; an outcome for an entity and
/// moment already recorded replaces it, so a retried request records nothing twice), and joins each to the
/// prediction it answers — the latest prediction for the same entity with an as-of time at or before the outcome, from
/// the predictions table or the real-time prediction log.
/// </summary>
public sealed class FeedbackService(IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    private const int MaxErrors = 20;
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public async Task<Result<FeedbackReceipt>> RecordAsync(string tenant, string useCase, JsonElement body, CancellationToken ct = default)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("outcomes", out var outcomes) || outcomes.ValueKind != JsonValueKind.Array)
        {
            return Result<FeedbackReceipt>.Invalid("outcomes",
                "The body must be a JSON object with an \"outcomes\" array: {\"outcomes\": [{\"entityKey\": \"...\", \"label\": ..., \"occurredAt\": \"2026-11-26T09:30:00Z\"}]}.");
        }

        var count = outcomes.GetArrayLength();
        var limit = options.Value.Serving.MaxRowsPerRequest;
        if (count == 0) return Result<FeedbackReceipt>.Invalid("outcomes", "\"outcomes\" is empty: send at least one outcome.");
        if (count > limit)
        {
            return Result<FeedbackReceipt>.TooLarge("outcomes", $"\"outcomes\" holds {count:N0} outcomes; a request may hold at most {limit:N0}. Split it.");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
            .Select(e => new { e.Id, e.UseCase!.TaskType }).FirstOrDefaultAsync(ct);
        if (enrollment is null) return Result<FeedbackReceipt>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var clock = time.GetUtcNow().UtcDateTime;
        var now = new DateTime(clock.Ticks - clock.Ticks % 10, DateTimeKind.Utc);
        var errors = new ValidationErrors();
        var reported = 0;
        void Error(string field, string message)
        {
            if (reported++ < MaxErrors) errors.Add(field, message);
        }

        var rows = new List<Outcome>(count);
        var i = 0;
        foreach (var item in outcomes.EnumerateArray())
        {
            var at = $"outcomes[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(at, $"Outcome {i} must be an object with entityKey and label.");
                i++;
                continue;
            }

            var key = item.TryGetProperty("entityKey", out var k) ? k.ValueKind switch
            {
                JsonValueKind.String => k.GetString(),
                JsonValueKind.Number => k.GetRawText(),
                _ => null,
            } : null;
            if (string.IsNullOrWhiteSpace(key)) Error($"{at}.entityKey", $"Outcome {i} needs an entityKey (text or number): the entity whose prediction it answers.");
            else if (key.Length > 256) Error($"{at}.entityKey", $"Outcome {i}: entityKey is {key.Length} characters; at most 256.");

            string? label = null;
            if (!item.TryGetProperty("label", out var l) || l.ValueKind == JsonValueKind.Null)
            {
                Error($"{at}.label", $"Outcome {i} needs a label: the actual outcome.");
            }
            else if (Label(l, enrollment.TaskType) is { } text)
            {
                label = text;
            }
            else
            {
                Error($"{at}.label", $"Outcome {i}: {Expected(enrollment.TaskType)}, got {l.GetRawText()}.");
            }

            var occurred = now;
            if (item.TryGetProperty("occurredAt", out var o) && o.ValueKind != JsonValueKind.Null)
            {
                if (o.ValueKind == JsonValueKind.String && DateTime.TryParse(o.GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
                {
                    // Whole microseconds: what PostgreSQL keeps, so the same moment matches itself when posted again.
                    occurred = DateTime.SpecifyKind(new DateTime(t.Ticks - t.Ticks % 10), DateTimeKind.Utc);
                    if (occurred > now + FutureTolerance) Error($"{at}.occurredAt", $"Outcome {i}: occurredAt {occurred:O} is in the future.");
                }
                else
                {
                    Error($"{at}.occurredAt", $"Outcome {i}: occurredAt must be a date-time in ISO 8601 (\"2026-11-26T09:30:00Z\"), got {o.GetRawText()}.");
                }
            }

            if (key is not null && label is not null)
            {
                rows.Add(new Outcome { EnrollmentId = enrollment.Id, EntityKey = key, Label = label, OccurredAt = occurred, ReceivedAt = now });
            }

            i++;
        }

        if (errors.Any)
        {
            if (reported > MaxErrors) errors.Add("outcomes", $"… and {reported - MaxErrors} more problems.");
            return Result<FeedbackReceipt>.Invalid(errors);
        }

        // Repeats within the request: the last one wins.
        var merged = rows.GroupBy(r => (r.EntityKey, r.OccurredAt)).Select(g => g.Last()).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var replaced = await UpsertAsync(enrollment.Id, merged, now, ct);
                return Result<FeedbackReceipt>.Ok(new FeedbackReceipt(tenant, useCase, merged.Count, replaced));
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The same outcome arrived concurrently and was inserted first: read again and replace it.
            }
        }
    }

    /// <summary>Inserts the outcomes, replacing the label of those recorded before for the same entity and moment; returns how many were replaced.</summary>
    private async Task<int> UpsertAsync(Guid enrollment, List<Outcome> outcomes, DateTime now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var byKey = outcomes.ToDictionary(o => (o.EntityKey, o.OccurredAt));
        var replaced = 0;
        foreach (var keys in outcomes.Select(o => o.EntityKey).Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            var existing = await db.Outcomes.Where(o => o.EnrollmentId == enrollment && keys.Contains(o.EntityKey)).ToListAsync(ct);
            foreach (var old in existing)
            {
                if (byKey.Remove((old.EntityKey, old.OccurredAt), out var incoming))
                {
                    old.Label = incoming.Label;
                    old.ReceivedAt = now;
                    replaced++;
                }
            }
        }

        db.Outcomes.AddRange(byKey.Values);
        await db.SaveChangesAsync(ct);
        return replaced;
    }

    /// <summary>Outcomes that occurred in <paramref name="range"/>, newest first, each with the prediction it answers (null when none is known).</summary>
    public async Task<Result<PagedResult<OutcomeView>>> JoinAsync(
        string tenant, string useCase, TimeRange range = default, int page = 1, int pageSize = 100, CancellationToken ct = default)
    {
        if (page < 1) return Result<PagedResult<OutcomeView>>.Invalid("page", $"page starts at 1; it was {page}.");
        if (pageSize is < 1 or > PredictionQueries.MaxPageSize) return Result<PagedResult<OutcomeView>>.Invalid("pageSize", $"pageSize must be between 1 and {PredictionQueries.MaxPageSize}; it was {pageSize}.");

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollment is null) return Result<PagedResult<OutcomeView>>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var query = db.Outcomes.AsNoTracking().Where(o => o.EnrollmentId == enrollment);
        if (range.From is { } f) query = query.Where(o => o.OccurredAt >= f);
        if (range.Until is { } u) query = query.Where(o => o.OccurredAt < u);
        var total = await query.CountAsync(ct);
        var outcomes = await query.OrderByDescending(o => o.OccurredAt).ThenByDescending(o => o.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        if (outcomes.Count == 0) return Result<PagedResult<OutcomeView>>.Ok(new PagedResult<OutcomeView>([], total, page, pageSize));

        var answered = await OutcomeJoin.AnswerAsync(db, enrollment.Value, outcomes, ct);
        var versionIds = answered.OfType<JoinedPrediction>().Select(p => p.ModelVersionId).Distinct().ToList();
        var labels = await PredictionQueries.LabelsAsync(db, versionIds, ct);
        var views = outcomes.Select((o, i) => new OutcomeView(o.EntityKey, o.Label, o.OccurredAt, o.ReceivedAt, answered[i] is not { } p ? null
            : new AnsweredPrediction(p.Source, p.AsOf, labels.GetValueOrDefault(p.ModelVersionId, "?"), p.Score, p.Label))).ToArray();
        return Result<PagedResult<OutcomeView>>.Ok(new PagedResult<OutcomeView>(views, total, page, pageSize));
    }

    private static string? Label(JsonElement value, TaskType task) => task switch
    {
        TaskType.Binary => value.ValueKind switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1 => n == 1 ? "true" : "false",
            JsonValueKind.String => value.GetString()?.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => "true",
                "false" or "0" or "no" => "false",
                _ => null,
            },
            _ => null,
        },
        TaskType.Multiclass => value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 and <= 256 } s => s,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        },
        _ => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)
            ? d.ToString("R", CultureInfo.InvariantCulture)
            : null,
    };

    private static string Expected(TaskType task) => task switch
    {
        TaskType.Binary => "a binary use case's label is true or false (or 1/0, \"yes\"/\"no\")",
        TaskType.Multiclass => "a multiclass use case's label is the class, as text",
        _ => "a regression use case's label is a finite number",
    };
}
