namespace ControlPlane.Core.Monitoring;

/// <summary>
/// Something monitoring shows changed (on this node or another); subscribers re-read what they show. <paramref name="Id"/>
/// is the notification (raised, read), the enrollment (health) or the webhook delivery (delivery).
/// </summary>
public sealed record NotificationEvent(string Kind, Guid? Id)
{
    public const string Raised = "raised";
    public const string Read = "read";

    /// <summary>An alert was acknowledged, snoozed, resolved, grouped or raised again.</summary>
    public const string Changed = "changed";

    /// <summary>An enrollment's health verdict changed.</summary>
    public const string Health = "health";

    /// <summary>A webhook delivery was queued, sent, retried or given up.</summary>
    public const string Delivery = "delivery";

    /// <summary>Whether this changes the notifications (the bell, the list) rather than a page of its own.</summary>
    public bool IsNotification => Kind is Raised or Read or Changed;
}

/// <summary>
/// The in-process notifier for notifications, like <c>RunEvents</c> for runs: services publish, components (each on its
/// own SignalR circuit) subscribe. Handlers run on the publisher's thread and must be quick. Events from other nodes
/// arrive through <see cref="NotificationBus"/>.
/// </summary>
public sealed class NotificationEvents
{
    private readonly Lock _gate = new();
    private Action<NotificationEvent>[] _handlers = [];

    public IDisposable Subscribe(Action<NotificationEvent> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Raised for events of this node; the bus forwards these to the other nodes.</summary>
    public event Action<NotificationEvent>? PublishedLocally;

    public void Publish(NotificationEvent e)
    {
        Deliver(e);
        PublishedLocally?.Invoke(e);
    }

    public void DeliverRemote(NotificationEvent e) => Deliver(e);

    private void Deliver(NotificationEvent e)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(e);
            }
            catch (Exception)
            {
                // A broken subscriber (a closed circuit) must not fail the feature that raised the alert.
            }
        }
    }

    private void Unsubscribe(Action<NotificationEvent> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private sealed class Subscription(NotificationEvents owner, Action<NotificationEvent> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
