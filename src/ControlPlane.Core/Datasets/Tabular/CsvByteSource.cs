using System.Buffers;
using System.Text.Unicode;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Decodes a stream of UTF-8 into a pooled char window for <see cref="CsvTableReader"/>. It uses
/// <see cref="Utf8.ToUtf16(ReadOnlySpan{byte}, Span{char}, out int, out int, bool, bool)"/> without replacement, which
/// refuses invalid bytes like a throwing UTF8Encoding would but also says where they are, so the error can name the line.
/// </summary>
internal sealed class CsvByteSource : IDisposable
{
    private const int ByteChunk = 1 << 16;

    private readonly Stream _stream;
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(ByteChunk);
    private int _byteStart;
    private int _byteEnd;
    private long _newlinesBefore; // '\n' bytes already decoded, for the line number of an invalid byte
    private bool _streamDone;
    private bool _bomChecked;

    public CsvByteSource(Stream stream) => _stream = stream;

    public char[] Chars { get; private set; } = ArrayPool<char>.Shared.Rent(ByteChunk * 2);

    /// <summary>Valid chars in <see cref="Chars"/> are [0, Length).</summary>
    public int Length { get; private set; }

    public bool Completed => _streamDone && _byteStart == _byteEnd;

    /// <summary>Drops chars before <paramref name="keepFrom"/>, then appends at least one more char unless the input has ended.</summary>
    public async ValueTask<bool> FillAsync(int keepFrom, CancellationToken ct)
    {
        if (keepFrom > 0)
        {
            Chars.AsSpan(keepFrom, Length - keepFrom).CopyTo(Chars);
            Length -= keepFrom;
        }

        // A record longer than the window (a huge quoted text cell) grows it rather than failing.
        if (Chars.Length - Length < _bytes.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Chars.Length * 2);
            Chars.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(Chars);
            Chars = bigger;
        }

        var before = Length;
        while (Length == before && !Completed)
        {
            if (!_streamDone && _byteEnd - _byteStart < 4)
            {
                await ReadBytesAsync(ct);
            }

            Decode();
        }

        return Length > before;
    }

    private async ValueTask ReadBytesAsync(CancellationToken ct)
    {
        _bytes.AsSpan(_byteStart, _byteEnd - _byteStart).CopyTo(_bytes);
        _byteEnd -= _byteStart;
        _byteStart = 0;
        while (_byteEnd < _bytes.Length && !_streamDone)
        {
            var read = await _stream.ReadAsync(_bytes.AsMemory(_byteEnd), ct);
            _streamDone = read == 0;
            _byteEnd += read;
        }

        if (!_bomChecked && (_byteEnd >= 3 || _streamDone))
        {
            _bomChecked = true;
            if (_bytes.AsSpan(0, _byteEnd).StartsWith("\uFEFF"u8))
            {
                _byteStart = 3;
            }
        }
    }

    private void Decode()
    {
        var input = _bytes.AsSpan(_byteStart, _byteEnd - _byteStart);
        var status = Utf8.ToUtf16(input, Chars.AsSpan(Length), out var read, out var written, replaceInvalidSequences: false, isFinalBlock: _streamDone);
        _newlinesBefore += input[..read].Count((byte)'\n');
        _byteStart += read;
        Length += written;
        if (status == System.Buffers.OperationStatus.InvalidData)
        {
            var line = _newlinesBefore + 1;
            throw new TableFormatException($"Line {line} is not valid UTF-8; save the file as UTF-8.", line);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(Chars);
        _bytes = [];
        Chars = [];
    }
}
