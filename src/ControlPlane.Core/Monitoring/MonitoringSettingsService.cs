using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Core.Monitoring;

/// <summary>An enrollment's monitoring policy as shown: the values, whether they are still the defaults, and who last saved them.</summary>
public sealed record MonitoringSettingsView(
    Guid EnrollmentId, string Tenant, string UseCase, MonitoringSettings Settings, bool IsDefault, DateTime? UpdatedAt, string? UpdatedBy, DateTime? LastAutoRetrainAt);

/// <summary>Reads and saves an enrollment's monitoring policy (<see cref="MonitoringSettings"/>); nothing invalid is ever stored.</summary>
public sealed class MonitoringSettingsService(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time, ILogger<MonitoringSettingsService> logger)
{
    public async Task<Result<MonitoringSettingsView>> GetAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollmentId = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollmentId is null)
        {
            return Result<MonitoringSettingsView>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));
        }

        var row = await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct);
        return Result<MonitoringSettingsView>.Ok(View(enrollmentId.Value, tenant, useCase, row));
    }

    /// <summary>The policy of an enrollment by id (the defaults when it never saved one), for the checks.</summary>
    public async Task<MonitoringSettings> ForEnrollmentAsync(Guid enrollmentId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct));
    }

    /// <summary>Validates and saves the whole policy; an invalid one is refused with every problem named by its field, and nothing is stored.</summary>
    public async Task<Result<MonitoringSettingsView>> SaveAsync(string tenant, string useCase, MonitoringSettings settings, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Any)
        {
            return Result<MonitoringSettingsView>.Invalid(errors);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollmentId = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollmentId is null)
        {
            return Result<MonitoringSettingsView>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));
        }

        var row = await db.EnrollmentMonitoring.FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct);
        if (row is null)
        {
            row = new EnrollmentMonitoring { EnrollmentId = enrollmentId.Value };
            db.EnrollmentMonitoring.Add(row);
        }

        settings.CopyTo(row);
        row.UpdatedAt = Clock.UtcNow(time);
        row.UpdatedBy = actor;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Monitoring policy of {TenantSlug}/{UseCase} saved by {Actor}", tenant, useCase, actor);
        return Result<MonitoringSettingsView>.Ok(View(enrollmentId.Value, tenant, useCase, row));
    }

    /// <summary>
    /// A policy from a JSON object: omitted fields take their defaults, an unknown field or a value of the wrong type is
    /// refused naming the field (the numbers' ranges are checked by <see cref="SaveAsync"/>).
    /// </summary>
    public static Result<MonitoringSettings> Parse(string json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Result<MonitoringSettings>.Invalid("json", $"The body is not valid JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Result<MonitoringSettings>.Invalid("json", "The body must be a JSON object of monitoring settings, e.g. {\"psiWarning\": 0.1, \"psiDrift\": 0.2}.");
        }

        var errors = new ValidationErrors();
        var s = MonitoringSettings.Defaults;
        foreach (var property in root.EnumerateObject())
        {
            var v = property.Value;
            switch (property.Name)
            {
                case "psiWarning": s = s with { PsiWarning = Number(v, property.Name, errors) ?? s.PsiWarning }; break;
                case "psiDrift": s = s with { PsiDrift = Number(v, property.Name, errors) ?? s.PsiDrift }; break;
                case "pValue": s = s with { PValue = Number(v, property.Name, errors) ?? s.PValue }; break;
                case "minRows": s = s with { MinRows = Whole(v, property.Name, errors) ?? s.MinRows }; break;
                case "datasetDriftShare": s = s with { DatasetDriftShare = Number(v, property.Name, errors) ?? s.DatasetDriftShare }; break;
                case "maxWindowDays": s = s with { MaxWindowDays = Whole(v, property.Name, errors) ?? s.MaxWindowDays }; break;
                case "driftPersistence": s = s with { DriftPersistence = Whole(v, property.Name, errors) ?? s.DriftPersistence }; break;
                case "decayWarning": s = s with { DecayWarning = Number(v, property.Name, errors) ?? s.DecayWarning }; break;
                case "decayAlert": s = s with { DecayAlert = Number(v, property.Name, errors) ?? s.DecayAlert }; break;
                case "decayWindowDays": s = s with { DecayWindowDays = Whole(v, property.Name, errors) ?? s.DecayWindowDays }; break;
                case "decayMinLabels": s = s with { DecayMinLabels = Whole(v, property.Name, errors) ?? s.DecayMinLabels }; break;
                case "maxModelAgeDays": s = s with { MaxModelAgeDays = v.ValueKind == JsonValueKind.Null ? null : Whole(v, property.Name, errors) ?? s.MaxModelAgeDays }; break;
                case "batchDeadlineUtc": s = s with { BatchDeadlineUtc = v.ValueKind == JsonValueKind.Null ? null : Text(v, property.Name, errors) ?? s.BatchDeadlineUtc }; break;
                case "predictP99BudgetMs": s = s with { PredictP99BudgetMs = v.ValueKind == JsonValueKind.Null ? null : Number(v, property.Name, errors) ?? s.PredictP99BudgetMs }; break;
                case "retrainOnDrift": s = s with { RetrainOnDrift = Flag(v, property.Name, errors) ?? s.RetrainOnDrift }; break;
                case "retrainOnDecay": s = s with { RetrainOnDecay = Flag(v, property.Name, errors) ?? s.RetrainOnDecay }; break;
                case "retrainCooldownHours": s = s with { RetrainCooldownHours = Whole(v, property.Name, errors) ?? s.RetrainCooldownHours }; break;
                default: errors.Add(property.Name, $"'{property.Name}' is not a monitoring setting; the settings are {string.Join(", ", Names)}."); break;
            }
        }

        return errors.Any ? Result<MonitoringSettings>.Invalid(errors) : Result<MonitoringSettings>.Ok(s);
    }

    /// <summary>The settings' JSON names, in the order the API documents them.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "psiWarning", "psiDrift", "pValue", "minRows", "datasetDriftShare", "maxWindowDays", "driftPersistence",
        "decayWarning", "decayAlert", "decayWindowDays", "decayMinLabels",
        "maxModelAgeDays", "batchDeadlineUtc", "predictP99BudgetMs",
        "retrainOnDrift", "retrainOnDecay", "retrainCooldownHours",
    ];

    private static MonitoringSettingsView View(Guid enrollmentId, string tenant, string useCase, EnrollmentMonitoring? row) =>
        new(enrollmentId, tenant, useCase, MonitoringSettings.From(row), row is null, row?.UpdatedAt, row?.UpdatedBy, row?.LastAutoRetrainAt);


    private static double? Number(JsonElement v, string name, ValidationErrors errors)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d))
        {
            return d;
        }

        errors.Add(name, $"{name} must be a number; it was {Shown(v)}.");
        return null;
    }

    private static int? Whole(JsonElement v, string name, ValidationErrors errors)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
        {
            return i;
        }

        errors.Add(name, $"{name} must be a whole number; it was {Shown(v)}.");
        return null;
    }

    private static bool? Flag(JsonElement v, string name, ValidationErrors errors)
    {
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }

        errors.Add(name, $"{name} must be true or false; it was {Shown(v)}.");
        return null;
    }

    private static string? Text(JsonElement v, string name, ValidationErrors errors)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            return v.GetString();
        }

        errors.Add(name, $"{name} must be a string such as \"06:00\" or null; it was {Shown(v)}.");
        return null;
    }

    private static string Shown(JsonElement v)
    {
        var text = v.GetRawText();
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
