using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;

namespace RfmFast.Core;

/// <summary>
/// A process-wide pool of 64-byte-aligned native memory blocks, bucketed by power-of-two size
/// (BLIS's packing-block allocator). Renting in steady state allocates nothing: blocks are kept
/// and reused, so the pages stay resident (touching fresh pages costs far more than reusing them).
/// </summary>
/// <remarks>
/// Blocks are native memory, not GC arrays, so packed GEMM panels never move and need no pinning.
/// A block larger than <see cref="MaxPooledBytes"/> is freed on return instead of kept.
/// </remarks>
static unsafe class AlignedBlockPool
{
    /// <summary>The alignment of every block: one cache line, one AVX-512 vector.</summary>
    public const int Alignment = 64;

    const int MinShift = 12;                 // 4 KiB: smaller requests share the smallest bucket
    const int MaxShift = 34;                 // 16 GiB
    const int KeptPerBucket = 16;

    /// <summary>Blocks above this size are not kept after return.</summary>
    public const long MaxPooledBytes = 1L << 31;

    static readonly Lock s_lock = new();
    static readonly IntPtr[][] s_free = CreateBuckets();
    static readonly int[] s_count = new int[MaxShift + 1];

    // Every block rented and not yet returned. PooledBuffer is a struct: a copy disposed after the original
    // would return the same block twice, and two later renters would then share it (or the allocator would
    // free it twice). Checking each return against this set turns that bug into an exception at the second
    // Dispose. A set operation under the lock the pool takes anyway; it allocates only when it grows.
    static readonly HashSet<IntPtr> s_outstanding = [];

    static IntPtr[][] CreateBuckets()
    {
        var b = new IntPtr[MaxShift + 1][];
        for (int i = 0; i < b.Length; i++)
            b[i] = new IntPtr[KeptPerBucket];
        return b;
    }

    /// <summary>The bucket of a request: its size rounded up to a power of two, at least 4 KiB.</summary>
    public static int BucketOf(long bytes)
    {
        if (bytes <= 1L << MinShift)
            return MinShift;
        int shift = 64 - BitOperations.LeadingZeroCount((ulong)(bytes - 1));
        if (shift > MaxShift)
            ThrowHelper.ArgumentOutOfRange(nameof(bytes), $"A pooled block is limited to {1L << MaxShift} bytes; {bytes} were asked.");
        return shift;
    }

    /// <summary>Rents a block of at least <paramref name="bytes"/> bytes; its contents are undefined.</summary>
    public static void* Rent(long bytes, out int bucket)
    {
        bucket = BucketOf(bytes);
        lock (s_lock)
        {
            int n = s_count[bucket];
            if (n > 0)
            {
                s_count[bucket] = n - 1;
                IntPtr kept = s_free[bucket][n - 1];
                s_outstanding.Add(kept);
                return (void*)kept;
            }
        }
        long size = 1L << bucket;
        void* block;
        if (size < TransparentHugePages.MinBytes)
        {
            block = NativeMemory.AlignedAlloc((nuint)size, Alignment);
        }
        else
        {
            // Large blocks (kernel matrices, packed panels): aligned to the huge page size and marked for huge pages.
            block = NativeMemory.AlignedAlloc((nuint)size, (nuint)TransparentHugePages.PageBytes);
            TransparentHugePages.Advise(block, size);
        }
        lock (s_lock)
            s_outstanding.Add((IntPtr)block);
        return block;
    }

    /// <summary>Returns a block rented from bucket <paramref name="bucket"/>.</summary>
    /// <exception cref="InvalidOperationException">The block is not out on rent: it was returned already (a copy
    /// of a <see cref="PooledBuffer{T}"/> disposed twice), or never came from this pool.</exception>
    public static void Return(void* block, int bucket)
    {
        if (block == null)
            return;
        lock (s_lock)
        {
            if (!s_outstanding.Remove((IntPtr)block))
                throw new InvalidOperationException(
                    "A pooled block was returned twice (a copy of a PooledBuffer disposed after the original) or was not rented from the pool.");
        }
        if ((1L << bucket) <= MaxPooledBytes)
        {
            lock (s_lock)
            {
                int n = s_count[bucket];
                if (n < KeptPerBucket)
                {
                    s_free[bucket][n] = (IntPtr)block;
                    s_count[bucket] = n + 1;
                    return;
                }
            }
        }
        NativeMemory.AlignedFree(block);
    }

    /// <summary>Frees every kept block (for tests and for callers that want the memory back).</summary>
    public static void Trim()
    {
        lock (s_lock)
        {
            for (int b = 0; b < s_free.Length; b++)
            {
                for (int i = 0; i < s_count[b]; i++)
                    NativeMemory.AlignedFree((void*)s_free[b][i]);
                s_count[b] = 0;
            }
        }
    }

    /// <summary>How many blocks are kept now, for tests.</summary>
    public static int KeptBlocks
    {
        get
        {
            lock (s_lock)
            {
                int total = 0;
                foreach (int c in s_count)
                    total += c;
                return total;
            }
        }
    }

}
