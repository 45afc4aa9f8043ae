using ControlPlane.Core.Storage;

namespace ControlPlane.Web.Components.Shared;

/// <summary>Reports how many bytes have been read, for upload progress bars; disposes the stream it wraps.</summary>
public sealed class ProgressStream(Stream inner, Action<long> onProgress) : ObservedReadStream(inner, ownsInner: true)
{
    protected override void OnRead(ReadOnlySpan<byte> chunk) => onProgress(BytesRead);
}
