using System;
using System.Runtime.Intrinsics.X86;

namespace RfmFast.Persistence;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the model file's checksum: the SSE4.2
/// instruction where there is one, a table otherwise. CRC-32C("123456789") = 0xE3069283.</summary>
internal static class Crc32C
{
    static readonly uint[] Table = BuildTable();

    static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }

    /// <summary>The CRC of <paramref name="data"/>, continuing from <paramref name="crc"/> (0 to start).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        int i = 0;
        if (Sse42.X64.IsSupported)
        {
            ulong c64 = c;
            for (; i + 8 <= data.Length; i += 8)
                c64 = Sse42.X64.Crc32(c64, BitConverter.ToUInt64(data.Slice(i, 8)));
            c = (uint)c64;
        }
        for (; i < data.Length; i++)
            c = Sse42.IsSupported ? Sse42.Crc32(c, data[i]) : Table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
