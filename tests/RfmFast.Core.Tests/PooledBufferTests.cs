using System;
using System.Runtime.InteropServices;
using Xunit;

namespace RfmFast.Core.Tests;

[Collection(nameof(PoolRunsAlone))]
public sealed unsafe class PooledBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(1000)]
    [InlineData(1025)]
    [InlineData(70_000)]
    [InlineData(1 << 20)]
    public void Buffers_are_64_byte_aligned_and_as_long_as_asked(int length)
    {
        using var f = PooledBuffer<float>.Rent(length);
        using var d = PooledBuffer<double>.Rent(length);
        using var b = PooledBuffer<byte>.Rent(length);
        Assert.Equal(length, f.Length);
        Assert.Equal(length, f.Span.Length);
        Assert.Equal(length, d.Span.Length);
        Assert.Equal(length, b.Span.Length);
        Assert.Equal(0L, (long)f.Pointer % 64);
        Assert.Equal(0L, (long)d.Pointer % 64);
        Assert.Equal(0L, (long)b.Pointer % 64);
        fixed (float* p = f.Span)
            Assert.True(p == f.Pointer);
        // The whole span is usable.
        f.Span.Fill(1f);
        d.Span.Fill(2.0);
        Assert.Equal(1f, f.Span[length - 1]);
    }

    [Fact]
    public void Zero_length_is_empty_and_negative_throws()
    {
        using var empty = PooledBuffer<float>.Rent(0);
        Assert.Equal(0, empty.Length);
        Assert.True(empty.Span.IsEmpty);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PooledBuffer<float>.Rent(-1));
        Assert.Equal("length", e.ParamName);
    }

    [Fact]
    public void A_returned_block_is_reused_and_clear_zeroes_it()
    {
        const int length = 300_000; // a 2 MiB bucket: nothing else in this process rents it
        float* first;
        var a = PooledBuffer<float>.Rent(length);
        first = a.Pointer;
        a.Span.Fill(float.NaN);
        a.Dispose();

        var b = PooledBuffer<float>.Rent(length - 1000, clear: true); // same bucket
        try
        {
            Assert.True(b.Pointer == first, "the block just returned should be handed out again");
            Assert.True(b.Span.IndexOfAnyExcept(0f) < 0, "clear: true must zero the elements");
        }
        finally
        {
            b.Dispose();
        }
    }

    [Fact]
    public void Dispose_twice_returns_the_block_once()
    {
        AlignedBlockPool.Trim();
        Assert.Equal(0, AlignedBlockPool.KeptBlocks);
        var a = PooledBuffer<double>.Rent(5000);
        a.Dispose();
        Assert.Equal(1, AlignedBlockPool.KeptBlocks);
        a.Dispose();
        Assert.Equal(1, AlignedBlockPool.KeptBlocks);
        Assert.True(a.Span.IsEmpty);
        Assert.Equal(0, a.Length);

        // Two rentals of the same bucket get different blocks.
        AssertTwoRentersGetTwoBlocks<double>(5000);
        Assert.Equal(2, AlignedBlockPool.KeptBlocks);
        AlignedBlockPool.Trim();
        Assert.Equal(0, AlignedBlockPool.KeptBlocks);
    }

    /// <summary>Rents two buffers of one size at once, checks that they are different blocks and returns both.</summary>
    static void AssertTwoRentersGetTwoBlocks<T>(int length) where T : unmanaged
    {
        var x = PooledBuffer<T>.Rent(length);
        var y = PooledBuffer<T>.Rent(length);
        Assert.True(x.Pointer != y.Pointer);
        x.Dispose();
        y.Dispose();
    }

    [Fact]
    public void Disposing_a_copy_after_the_original_throws_and_never_hands_the_block_out_twice()
    {
        AlignedBlockPool.Trim();
        var original = PooledBuffer<float>.Rent(3000);
        PooledBuffer<float> copy = original; // a struct copy shares the block
        original.Dispose();
        Assert.Equal(1, AlignedBlockPool.KeptBlocks);
        var e = Assert.Throws<InvalidOperationException>(() => copy.Dispose());
        Assert.Contains("returned twice", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, AlignedBlockPool.KeptBlocks);
        // The block is in the pool once: two renters get two blocks.
        AssertTwoRentersGetTwoBlocks<float>(3000);
        // A pointer that never came from the pool is refused too, before the pool or the allocator sees it.
        IntPtr foreign = (IntPtr)NativeMemory.AlignedAlloc(4096, 64);
        Assert.Throws<InvalidOperationException>(() => AlignedBlockPool.Return((void*)foreign, AlignedBlockPool.BucketOf(4096)));
        NativeMemory.AlignedFree((void*)foreign);
        AlignedBlockPool.Trim();
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(4096, 12)]
    [InlineData(4097, 13)]
    [InlineData(1L << 20, 20)]
    [InlineData((1L << 20) + 1, 21)]
    public void Buckets_are_powers_of_two_from_4_KiB(long bytes, int bucket) =>
        Assert.Equal(bucket, AlignedBlockPool.BucketOf(bytes));
}
