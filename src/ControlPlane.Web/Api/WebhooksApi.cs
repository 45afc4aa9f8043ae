using System.Security.Claims;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>Webhook endpoints, their test events and delivery logs; admins only.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Administer);
        group.MapGet("", async (WebhookService webhooks, CancellationToken ct) => TypedResults.Ok(await webhooks.ListAsync(ct)))
            .WithName("ListWebhooks");
        group.MapPost("", CreateWebhook).WithName("CreateWebhook")
            .WithSummary("Add a webhook endpoint; its signing secret is returned only this once.");
        group.MapDelete("/{id:guid}", async (Guid id, WebhookService webhooks, CancellationToken ct) =>
            ApiResults.Ok(await webhooks.DeleteAsync(id, ct), v => v)).WithName("DeleteWebhook");
        group.MapPost("/{id:guid}/test", async (Guid id, WebhookService webhooks, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var result = await webhooks.SendTestAsync(id, user.Actor(), ct);
            return result.IsOk ? TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries", result.Value) : ApiResults.Problem(result);
        }).WithName("TestWebhook").WithSummary("Queue a test event for this endpoint; 202 with the queued delivery.");
        group.MapPost("/{id:guid}/enable", async (Guid id, WebhookService webhooks, CancellationToken ct) =>
            ApiResults.Ok(await webhooks.SetEnabledAsync(id, true, ct), v => v)).WithName("EnableWebhook");
        group.MapPost("/{id:guid}/disable", async (Guid id, WebhookService webhooks, CancellationToken ct) =>
            ApiResults.Ok(await webhooks.SetEnabledAsync(id, false, ct), v => v)).WithName("DisableWebhook")
            .WithSummary("Stop queuing new alerts for this endpoint; deliveries already queued still go.");
        group.MapGet("/{id:guid}/deliveries", async (Guid id, WebhookService webhooks, CancellationToken ct) =>
            ApiResults.Ok(await webhooks.DeliveriesAsync(id, ct), v => v)).WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's latest 100 deliveries with every attempt.");
        return group;
    }

    public static async Task<IResult> CreateWebhook(CreateWebhookRequest request, WebhookService webhooks, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await webhooks.CreateAsync(request, user.Actor(), ct);
        return result.IsOk ? TypedResults.Created($"/api/v1/webhooks/{result.Value!.Endpoint.Id}", result.Value) : ApiResults.Problem(result);
    }
}
