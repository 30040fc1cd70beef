using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace RfmFast.Persistence;

/// <summary>Little-endian reading of the RfmFast file formats, every length checked against the bytes left.</summary>
internal sealed class FormatReader(byte[] data)
{
    int _pos;
    int _end = data.Length;

    public long Remaining => _end - _pos;
    public bool AtEnd => _pos == _end;

    public void Limit(int end) => _end = end;

    ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _end - _pos)
            throw new RfmModelFormatException($"The model file is truncated at byte {_pos} (needed {count} more bytes).");
        var s = data.AsSpan(_pos, count);
        _pos += count;
        return s;
    }

    public void Skip(int count) => Take(count);
    public byte U8() => Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>A count of items each at least <paramref name="minBytesEach"/> long: checked against the bytes left
    /// before anything is allocated from it.</summary>
    public int Count(int minBytesEach, string what)
    {
        int count = I32();
        if (count < 0 || (long)count * minBytesEach > Remaining)
            throw new RfmModelFormatException($"The {what} count {count} does not fit in the {Remaining} bytes left.");
        return count;
    }

    public string? Str()
    {
        int len = I32();
        if (len == -1)
            return null;
        if (len < 0 || len > Remaining)
            throw new RfmModelFormatException($"A string length {len} does not fit in the {Remaining} bytes left.");
        try
        {
            return new UTF8Encoding(false, true).GetString(Take(len));
        }
        catch (DecoderFallbackException e)
        {
            throw new RfmModelFormatException("A string in the model file is not valid UTF-8.", e);
        }
    }

    public T[] Values<T>(int count, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new T[count];
        for (int i = 0; i < count; i++)
        {
            T x = typeof(T) == typeof(float)
                ? T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(Take(4)))
                : T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(Take(8)));
            if (!T.IsFinite(x))
                throw new RfmModelFormatException($"The {what} array holds a non-finite value at index {i}.");
            v[i] = x;
        }
        return v;
    }
}
