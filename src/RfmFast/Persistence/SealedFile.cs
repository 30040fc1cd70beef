using System;
using System.Buffers.Binary;
using System.IO;

namespace RfmFast.Persistence;

/// <summary>The envelope every RfmFast file shares: an 8-byte magic, a format version, the content, a CRC-32C
/// trailer over everything before it.</summary>
internal static class SealedFile
{
    /// <summary>A writer with the magic and version written.</summary>
    public static FormatWriter Begin(ReadOnlySpan<byte> magic, ushort version)
    {
        var w = new FormatWriter();
        w.Bytes(magic);
        w.U16(version);
        return w;
    }

    /// <summary>The CRC-32C trailer, then the bytes to the stream.</summary>
    public static void End(FormatWriter w, Stream stream)
    {
        w.U32(Crc32C.Append(0, w.Written));
        stream.Write(w.Written);
    }

    /// <summary>Reads a whole stream and checks magic, version (1 to <paramref name="newest"/>) and checksum; the
    /// reader is positioned after the version and limited to the content.</summary>
    /// <param name="stream">The file.</param>
    /// <param name="magic">The 8 bytes the file must start with.</param>
    /// <param name="newest">The newest version this code reads.</param>
    /// <param name="what">What the file is, for messages ("model file", "tree shard").</param>
    public static (FormatReader Reader, ushort Version) Open(Stream stream, ReadOnlySpan<byte> magic, ushort newest, string what)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] all = ModelFile.ReadAll(stream);
        if (all.Length < magic.Length || !all.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new RfmModelFormatException($"Not an RfmFast {what} (wrong magic).");
        if (all.Length < magic.Length + 4 + 4)
            throw new RfmModelFormatException($"The {what} is truncated (no room for the header and checksum).");
        var r = new FormatReader(all);
        r.Skip(magic.Length);
        ushort version = r.U16();
        if (version > newest)
            throw new RfmModelFormatException($"The {what} has format version {version}; this RfmFast reads up to version {newest}.");
        if (version == 0)
            throw new RfmModelFormatException($"The {what} has format version 0, which does not exist.");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(all.AsSpan(all.Length - 4));
        if (Crc32C.Append(0, all.AsSpan(0, all.Length - 4)) != stored)
            throw new RfmModelFormatException($"The {what}'s checksum does not match: it is truncated or corrupt.");
        r.Limit(all.Length - 4);
        return (r, version);
    }
}
