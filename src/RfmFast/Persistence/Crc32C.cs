using System;

namespace RfmFast.Persistence;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the model file's checksum, byte by byte from a
/// table. Intrinsics stay in the core (DESIGN); a model is read once, and a few MB at table speed take milliseconds.
/// CRC-32C("123456789") = 0xE3069283.</summary>
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
        foreach (byte b in data)
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
