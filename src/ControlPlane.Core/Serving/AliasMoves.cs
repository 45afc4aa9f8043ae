namespace ControlPlane.Core.Serving;

/// <summary>
/// Tells this process that an enrollment's aliases moved (raised by the registry after the move is saved), so the
/// serving caches that hold where an alias points drop that enrollment at once. Other nodes of a cluster notice within
/// <see cref="ChampionDirectory.RefreshInterval"/>.
/// </summary>
public sealed class AliasMoves
{
    public event Action<Guid>? Moved;

    public void Raise(Guid enrollmentId) => Moved?.Invoke(enrollmentId);
}
