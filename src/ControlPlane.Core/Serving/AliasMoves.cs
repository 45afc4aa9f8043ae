namespace ControlPlane.Core.Serving;

/// <summary>
/// Tells the serving caches that an enrollment's aliases moved, so what they hold about where an alias points is
/// dropped at once. The registry raises it here after saving a move; on PostgreSQL <see cref="AliasMovesBus"/> carries
/// the moves of this node to the others and raises theirs here.
/// </summary>
public sealed class AliasMoves
{
    /// <summary>Every move, made here or on another node.</summary>
    public event Action<Guid>? Moved;

    /// <summary>Moves made on this node only (what the bus sends to the others).</summary>
    public event Action<Guid>? MovedHere;

    public void Raise(Guid enrollmentId)
    {
        Moved?.Invoke(enrollmentId);
        MovedHere?.Invoke(enrollmentId);
    }

    /// <summary>A move another node made (from the bus): raised here without being sent back.</summary>
    public void RaiseFromOtherNode(Guid enrollmentId) => Moved?.Invoke(enrollmentId);
}
