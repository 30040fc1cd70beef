using System;
using System.IO;

namespace RfmFast.Tests;

/// <summary>A read-only stream over bytes that cannot seek or report its length, like a pipe or a socket: the
/// loader must then size nothing from <see cref="Stream.Length"/> and nothing from a length declared in the data.</summary>
sealed class NonSeekableStream(byte[] data) : Stream
{
    readonly MemoryStream _inner = new(data, writable: false);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    // At most 7 bytes per call, so that a reader relying on one Read filling its buffer fails here.
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

    public override int Read(Span<byte> buffer) => _inner.Read(buffer[..Math.Min(buffer.Length, 7)]);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
