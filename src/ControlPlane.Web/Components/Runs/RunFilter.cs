using ControlPlane.Core.Pipelines;

namespace ControlPlane.Web.Components.Runs;

/// <summary>The run history's filters; dates are whole UTC days, <see cref="To"/> inclusive.</summary>
public sealed record RunFilter(string? Tenant = null, string? UseCase = null, string? Pipeline = null, RunState? State = null,
    DateTime? From = null, DateTime? To = null);
