using System;
using System.Runtime.CompilerServices;
using RfmFast.Core;
using RfmFast.Core.Kernels;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>
/// The memory floor of a single-sample prediction: reading as many bytes as its packed centers (n x r floats, a
/// managed array like <see cref="PackedCenters{T}.Panels"/>) once per call, in the same chunks and through the same
/// hand-off (<see cref="ChunkSharing"/>), with a plain sum on <see cref="Isa.Best"/>'s vectors for arithmetic (the
/// core's dot product of a chunk with itself would load every vector twice, which halved the rate here). A prediction over a full-rank metric cannot be
/// faster than this: every call reads every center's r coordinates, and at 10000 x 100 floats (4 MB) they do not fit
/// in a core's L2.
/// </summary>
sealed unsafe class StreamFloor : ChunkedJob
{
    readonly float[] _data;
    readonly int _chunks, _chunkFloats;
    readonly float[] _sums;

    /// <summary>A buffer of <paramref name="centers"/> x <paramref name="rank"/> floats (padded like the packed
    /// centers), in chunks of <see cref="KernelPredict.ChunkPanels"/> panels.</summary>
    public StreamFloor(int centers, int rank)
    {
        int panel = PackedCenters<float>.Panel;
        _chunks = KernelPredict.Chunks(centers);
        _chunkFloats = KernelPredict.ChunkPanels * panel * rank;
        _data = new float[(centers + panel - 1) / panel * panel * rank];
        for (int i = 0; i < _data.Length; i++)
            _data[i] = i % 7;
        _sums = new float[_chunks];
    }

    /// <summary>The bytes one call reads.</summary>
    public long Bytes => (long)_data.Length * sizeof(float);

    /// <summary>One call: every chunk read once, shared with a helper thread or not.</summary>
    public void Call(bool share) => ChunkSharing.Run(this, _chunks, share ? Parallelism.DefaultWorkers : 1);

    protected override void RunChunk(int chunk)
    {
        int start = chunk * _chunkFloats;
        int n = Math.Min(_chunkFloats, _data.Length - start);
        fixed (float* p = _data)
        {
            var sum = new SumUser(p + start, n);
            TierDispatch.Run<float, SumUser>(Isa.Best, ref sum);
            _sums[chunk] = sum.Result;
        }
    }

    /// <summary>The sum of one chunk on the tier <see cref="TierDispatch"/> chose.</summary>
    struct SumUser(float* p, int n) : ITierUser<float>
    {
        public float Result;

        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, float> where TVec : struct => Result = Sum<TS, TVec>(p, n);
    }

    /// <summary>Eight independent vector sums, so that the loads, not the adds' latency, set the pace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Sum<TS, TVec>(float* p, int n) where TS : struct, ISimd<TVec, float> where TVec : struct
    {
        int w = TS.Count, i = 0;
        TVec s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero, s4 = TS.Zero, s5 = TS.Zero, s6 = TS.Zero, s7 = TS.Zero;
        for (; i + 8 * w <= n; i += 8 * w)
        {
            s0 = TS.Add(s0, TS.Load(p + i));
            s1 = TS.Add(s1, TS.Load(p + i + w));
            s2 = TS.Add(s2, TS.Load(p + i + 2 * w));
            s3 = TS.Add(s3, TS.Load(p + i + 3 * w));
            s4 = TS.Add(s4, TS.Load(p + i + 4 * w));
            s5 = TS.Add(s5, TS.Load(p + i + 5 * w));
            s6 = TS.Add(s6, TS.Load(p + i + 6 * w));
            s7 = TS.Add(s7, TS.Load(p + i + 7 * w));
        }
        float sum = TS.Sum(TS.Add(TS.Add(TS.Add(s0, s1), TS.Add(s2, s3)), TS.Add(TS.Add(s4, s5), TS.Add(s6, s7))));
        for (; i < n; i++)
            sum += p[i];
        return sum;
    }
}
