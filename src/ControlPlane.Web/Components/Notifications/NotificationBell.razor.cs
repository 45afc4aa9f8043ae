using ControlPlane.Core.Monitoring;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Components.Notifications;

/// <summary>
/// The bell in the app bar: unread count and the latest unresolved alerts (a group as one, with its member count), re-read whenever one is raised or read on any node
/// (through <see cref="NotificationEvents"/>, in-process on this circuit), at most four times a second.
/// </summary>
public sealed partial class NotificationBell
{
    public const int Latest = 8;

    private IReadOnlyList<NotificationView> _latest = [];
    private int _unread;
    private bool _open;
    private NotificationReload? _live;

    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private ControlPlane.Web.Auth.CurrentScope Scope { get; set; } = default!;
    [Inject] private NotificationEvents Events { get; set; } = default!;
    [Inject] private ILogger<NotificationBell> Logger { get; set; } = default!;

    private string Label => _unread == 1 ? "Notifications: 1 unread" : $"Notifications: {_unread} unread";

    protected override async Task OnInitializedAsync()
    {
        _live = new NotificationReload(Events, e => e.IsNotification, TimeSpan.FromMilliseconds(250), () => InvokeAsync(ReloadAndRenderAsync),
            ex => Logger.LogWarning(ex, "Reloading the notification bell failed"));
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var only = await Scope.SlugsAsync();
        _unread = await Notifications.UnreadCountAsync(onlyTenants: only);
        _latest = await Notifications.ListAsync(new NotificationFilter(Take: Latest, OnlyTenants: only, State: NotificationFilter.Active));
    }

    private async Task ReloadAndRenderAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    /// <summary>The menu is opened by the bell button itself (a click on it toggles) and closed by a click outside.</summary>
    private async Task OnOpenChanged(bool open)
    {
        _open = open;
        if (open)
        {
            await LoadAsync();
        }
    }

    public void Dispose() => _live?.Dispose();
}
