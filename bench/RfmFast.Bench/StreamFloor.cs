using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RfmFast.Core.Kernels;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>
/// The memory floor of a single-sample prediction: reading as many bytes as its packed centers (n x r floats)
/// once per call, in the same chunks and through the same hand-off (<see cref="ChunkSharing"/>), with nothing but
/// a sum for arithmetic. A prediction over a full-rank metric cannot be faster than this: every call reads every
/// center's r coordinates, and at 10000 x 100 floats (4 MB) they live in L3, not in a core's L2.
/// </summary>
sealed class StreamFloor : ChunkedJob
{
    readonly float[] _data;
    readonly int _offset;
    readonly int _chunks, _chunkFloats, _floats;
    readonly float[] _sums;

    /// <summary>A buffer of <paramref name="centers"/> x <paramref name="rank"/> floats (padded like the packed
    /// centers), in chunks of <see cref="KernelPredict.ChunkPanels"/> panels.</summary>
    public StreamFloor(int centers, int rank)
    {
        _chunks = KernelPredict.Chunks(centers);
        int panel = PackedCenters<float>.Panel;
        _chunkFloats = KernelPredict.ChunkPanels * panel * rank;
        _floats = (centers + panel - 1) / panel * panel * rank;
        // Pinned and started on a 64-byte boundary, as the model's panels are.
        _data = GC.AllocateArray<float>(_floats + 16, pinned: true);
        _offset = (int)((64 - (Marshal.UnsafeAddrOfPinnedArrayElement(_data, 0) & 63)) & 63) / sizeof(float);
        for (int i = 0; i < _data.Length; i++)
            _data[i] = i % 7;
        _sums = new float[_chunks];
    }

    /// <summary>The bytes one call reads.</summary>
    public long Bytes => (long)_floats * sizeof(float);

    /// <summary>One call: every chunk read once, shared with a helper thread or not.</summary>
    public void Call(bool share) => ChunkSharing.Run(this, _chunks, share);

    protected override void RunChunk(int chunk)
    {
        int start = chunk * _chunkFloats;
        _sums[chunk] = Sum(_data.AsSpan(_offset + start, Math.Min(_chunkFloats, _floats - start)));
    }

    /// <summary>Eight independent vector sums, so that the loads, not the adds' latency, set the pace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Sum(ReadOnlySpan<float> span)
    {
        ref float p = ref MemoryMarshal.GetReference(span);
        int n = span.Length, i = 0;
        float tail = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (; i + 128 <= n; i += 128)
            {
                s0 += Vector512.LoadUnsafe(ref p, (nuint)i); s1 += Vector512.LoadUnsafe(ref p, (nuint)(i + 16));
                s2 += Vector512.LoadUnsafe(ref p, (nuint)(i + 32)); s3 += Vector512.LoadUnsafe(ref p, (nuint)(i + 48));
                s4 += Vector512.LoadUnsafe(ref p, (nuint)(i + 64)); s5 += Vector512.LoadUnsafe(ref p, (nuint)(i + 80));
                s6 += Vector512.LoadUnsafe(ref p, (nuint)(i + 96)); s7 += Vector512.LoadUnsafe(ref p, (nuint)(i + 112));
            }
            tail = Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (; i + 64 <= n; i += 64)
            {
                s0 += Vector256.LoadUnsafe(ref p, (nuint)i); s1 += Vector256.LoadUnsafe(ref p, (nuint)(i + 8));
                s2 += Vector256.LoadUnsafe(ref p, (nuint)(i + 16)); s3 += Vector256.LoadUnsafe(ref p, (nuint)(i + 24));
                s4 += Vector256.LoadUnsafe(ref p, (nuint)(i + 32)); s5 += Vector256.LoadUnsafe(ref p, (nuint)(i + 40));
                s6 += Vector256.LoadUnsafe(ref p, (nuint)(i + 48)); s7 += Vector256.LoadUnsafe(ref p, (nuint)(i + 56));
            }
            tail = Vector256.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        }
        for (; i < n; i++)
            tail += span[i];
        return tail;
    }
}
