using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Executor.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// The data tasks every training pipeline starts with, as plain task bodies so other pipelines (retrain) can reuse them:
/// <see cref="IngestAsync"/> brings new data in as dataset versions, <see cref="ValidateAsync"/> checks the latest version
/// against the current feature rules and fails on a blocking problem with the readable report as the error.
/// </summary>
public static class DataTasks
{
    public const string Ingest = "ingest";
    public const string Validate = "validate";

    /// <summary>Adds <c>ingest</c> → <c>validate</c> to a pipeline; its next tasks go <c>.After(DataTasks.Validate)</c>.</summary>
    public static Pipeline.TaskBuilder AddDataTasks(this Pipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline
            .Task(Ingest, IngestAsync).Pool("io").Timeout(TimeSpan.FromHours(1))
            .Task(Validate, ValidateAsync).After(Ingest).Timeout(TimeSpan.FromMinutes(30));
    }

    public static async Task IngestAsync(TaskContext ctx)
    {
        var (tenant, useCase) = Enrollment(ctx);
        var ingest = ctx.Services.GetRequiredService<DatasetIngestService>();
        var result = (await ingest.IngestAsync(tenant, useCase, Actor(ctx), (percent, message) => ctx.ReportProgressAsync(percent, message), ctx.CancellationToken))
            .OrThrow();
        ctx.Log.LogInformation("{Message}", result.Message);
        foreach (var version in result.Created)
        {
            ctx.Log.LogInformation("Dataset version {Number} ({Rows} rows) from {File}: validation {Outcome}",
                version.Number, version.RowCount, version.FileName, version.ValidationOutcome);
        }

        await ctx.ReportProgressAsync(100, result.Message);
    }

    public static async Task ValidateAsync(TaskContext ctx)
    {
        var (tenant, useCase) = Enrollment(ctx);
        await ctx.ReportProgressAsync(0, "Validating the latest dataset version");
        var validation = ctx.Services.GetRequiredService<DatasetValidationService>();
        var result = await validation.ValidateAsync(tenant, useCase, ct: ctx.CancellationToken);
        if (!result.IsOk)
        {
            throw new InvalidOperationException(result.Message);
        }

        var report = result.Value!;
        foreach (var issue in report.Issues)
        {
            ctx.Log.Log(issue.Severity == ValidationSeverity.Blocking ? LogLevel.Error : LogLevel.Warning, "{Code}: {Message}", issue.Code, issue.Message);
        }

        if (report.IsBlocked)
        {
            throw new DatasetBlockedException(report, tenant, useCase);
        }

        ctx.Log.LogInformation("{Report}", report.ToText());
        await ctx.ReportProgressAsync(100, $"Dataset version {report.DatasetVersion}: {report.Outcome}");
    }

    internal static (string Tenant, string UseCase) Enrollment(TaskContext ctx) =>
        ctx is { Tenant: { Length: > 0 } tenant, UseCase: { Length: > 0 } useCase }
            ? (tenant, useCase)
            : throw new InvalidOperationException($"Task '{ctx.Task}' of '{ctx.Pipeline}' works on one enrollment: start the run with a tenant and a use case.");

    internal static string Actor(TaskContext ctx) => $"run {ctx.RunId:N}";
}

/// <summary>
/// A dataset version validation blocked: the message says so, names the first problems and where to fix them (the
/// feature rules, or a corrected upload); the whole report stays on the version's data page.
/// </summary>
public sealed class DatasetBlockedException(ValidationReport report, string tenant, string useCase) : Engine.TaskFailure(Describe(report, tenant, useCase))
{
    private const int ShownProblems = 3;

    public ValidationReport Report { get; } = report;

    private static string Describe(ValidationReport report, string tenant, string useCase)
    {
        var blocking = report.Issues.Where(i => i.Severity == ValidationSeverity.Blocking).ToArray();
        var text = new System.Text.StringBuilder()
            .Append($"Training needs a dataset version that passes validation; version {report.DatasetVersion} is blocked by ")
            .Append(blocking.Length == 1 ? "1 problem" : $"{blocking.Length} problems").Append($" under {report.RulesName}:");
        foreach (var issue in blocking.Take(ShownProblems)) text.Append("\n• ").Append(issue.Message);
        if (blocking.Length > ShownProblems) text.Append($"\n• … and {blocking.Length - ShownProblems} more.");
        // In words, not addresses: a message's paths are scrubbed (they could be the server's); the run page links both pages.
        return text.Append($"\nFix the mapping on the feature rules page of {tenant} / {useCase}, or upload a corrected file on its data page, ")
            .Append("where the whole report is. Then retrain.").ToString();
    }
}
