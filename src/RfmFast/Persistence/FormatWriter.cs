using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace RfmFast.Persistence;

/// <summary>Little-endian writing of the RfmFast file formats into a growing buffer.</summary>
internal sealed class FormatWriter
{
    byte[] _buf = new byte[1024];
    int _len;

    public ReadOnlySpan<byte> Written => _buf.AsSpan(0, _len);

    Span<byte> Take(int count)
    {
        if (_len + count > _buf.Length)
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + count));
        var s = _buf.AsSpan(_len, count);
        _len += count;
        return s;
    }

    public void Bytes(ReadOnlySpan<byte> b) => b.CopyTo(Take(b.Length));
    public void U8(byte v) => Take(1)[0] = v;
    public void U16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);
    public void U32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), v);
    public void U64(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), v);
    public void I32(int v) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), v);
    public void F64(double v) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), v);

    public void Str(string? s)
    {
        if (s is null)
        {
            I32(-1);
            return;
        }
        int len = Encoding.UTF8.GetByteCount(s);
        I32(len);
        Encoding.UTF8.GetBytes(s, Take(len));
    }

    public void Values<T>(T[] v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (T x in v)
        {
            if (typeof(T) == typeof(float))
                BinaryPrimitives.WriteSingleLittleEndian(Take(4), float.CreateTruncating(x));
            else
                BinaryPrimitives.WriteDoubleLittleEndian(Take(8), double.CreateTruncating(x));
        }
    }
}
