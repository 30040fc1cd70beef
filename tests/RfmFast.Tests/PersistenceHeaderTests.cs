using System;
using System.Buffers.Binary;
using System.IO;
using RfmFast.Persistence;
using Xunit;

namespace RfmFast.Tests;

/// <summary>Hostile headers in small hand-built files with a valid checksum, so that the parser's own checks
/// (not the CRC) must refuse them: sizes whose products overflow, zero sizes, unknown codes. Each must throw
/// <see cref="RfmModelFormatException"/> quickly without allocating from the declared sizes, from seekable and
/// non-seekable streams alike.</summary>
public sealed class PersistenceHeaderTests
{
    /// <summary>A version-1 regression file with the given header fields, no history, class map or names, then
    /// <paramref name="payload"/> zero bytes where the arrays would be, and the checksum.</summary>
    static byte[] File(int n, int d, int c, int payload, byte task = 0, byte precision = 0, byte kernel = 0)
    {
        var b = new byte[68 + payload + 4];
        "RFMFAST\0"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), 1);
        b[12] = task;
        b[13] = precision;
        b[14] = kernel;
        BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(16), 1.0); // bandwidth
        BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(24), 1.0); // exponent
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(32), n);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(36), d);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(40), c);
        // best iteration (44), history, class and feature-name counts (48..59) stay 0.
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(60), -1); // no target name
        // metadata count (64) stays 0; then the payload.
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(b.Length - 4), Crc32C.Append(0, b.AsSpan(0, b.Length - 4)));
        return b;
    }

    static RfmModelFormatException Refused(byte[] file)
    {
        RfmModelFormatException? last = null;
        foreach (bool seekable in new[] { true, false })
        {
            using Stream s = seekable ? new MemoryStream(file) : new NonSeekableStream(file);
            long before = GC.GetAllocatedBytesForCurrentThread();
            last = Assert.Throws<RfmModelFormatException>(() => RfmModel.Load(s));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the loader allocated from a declared size");
        }
        return last!;
    }

    [Fact]
    public void A_well_formed_hand_built_file_loads()
    {
        // n = 1, d = 1, c = 1: a center, an alpha and M, 12 bytes of zeros. Proves the builder's layout, so that
        // the refusals below come from the field under test.
        var m = RfmModel.Load(new MemoryStream(File(1, 1, 1, payload: 12)));
        Assert.Equal((1, 1, 1), (m.Centers, m.Features, m.Outputs));
        Assert.Equal(1, RfmModel.Load(new NonSeekableStream(File(1, 1, 1, payload: 12))).Centers);
    }

    [Fact]
    public void A_huge_n_in_a_100_byte_file_is_refused()
    {
        var file = File(1 << 30, 4, 1, payload: 28);
        Assert.Equal(100, file.Length);
        Assert.Contains("sizes", Refused(file).Message, StringComparison.Ordinal);
    }

    // Products that wrap 64-bit or 32-bit arithmetic: for example n = 11, d = 2^31 - 6, c = 1 makes
    // (n d + n c + d d) * 4 wrap to a negative long and n d wrap to 2^31 - 66 as an int, a legal array length.
    [Theory]
    [InlineData(1, int.MaxValue, 1, 28)]
    [InlineData(2, int.MaxValue, 1, 28)]
    [InlineData(11, int.MaxValue - 5, 1, 28)]
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue, 12)] // every product wraps to 1 as an int: 12 bytes would do
    [InlineData(46341, 46341, 1, 28)] // d * d just above 2^31
    public void Sizes_whose_products_overflow_are_refused(int n, int d, int c, int payload) =>
        Assert.Contains("sizes", Refused(File(n, d, c, payload)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(-1, 1, 1)]
    [InlineData(1, int.MinValue, 1)]
    public void Zero_and_negative_sizes_are_refused(int n, int d, int c) =>
        Assert.Contains("must be positive", Refused(File(n, d, c, payload: 12)).Message, StringComparison.Ordinal);

    [Fact]
    public void Unknown_codes_are_refused()
    {
        Assert.Contains("kernel kind 9", Refused(File(1, 1, 1, 12, kernel: 9)).Message, StringComparison.Ordinal);
        Assert.Contains("task code 2", Refused(File(1, 1, 1, 12, task: 2)).Message, StringComparison.Ordinal);
        Assert.Contains("precision code 7", Refused(File(1, 1, 1, 12, precision: 7)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_classifier_header_without_a_class_map_is_refused() =>
        Assert.Contains("class", Refused(File(1, 1, 2, 16, task: 1)).Message, StringComparison.Ordinal);
}
