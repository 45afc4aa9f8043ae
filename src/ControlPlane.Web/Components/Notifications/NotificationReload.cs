using ControlPlane.Core.Monitoring;
using ControlPlane.Web.Components.Runs;

namespace ControlPlane.Web.Components.Notifications;

/// <summary>
/// A page's live reload on notification events: the events it cares about (<paramref name="when"/>) request a reload
/// through a <see cref="ReloadThrottle"/>, so a burst of them costs one. Dispose it with the component.
/// </summary>
public sealed class NotificationReload : IDisposable
{
    private readonly ReloadThrottle _throttle;
    private readonly IDisposable _subscription;

    public NotificationReload(NotificationEvents events, Func<NotificationEvent, bool> when, TimeSpan interval, Func<Task> reload, Action<Exception> onError)
    {
        _throttle = new ReloadThrottle(interval, reload, onError);
        _subscription = events.Subscribe(e =>
        {
            if (when(e))
            {
                _throttle.Request();
            }
        });
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _throttle.Dispose();
    }
}
