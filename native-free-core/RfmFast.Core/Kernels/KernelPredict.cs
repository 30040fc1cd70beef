using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Kernels;

/// <summary>
/// The centers of a fitted model laid out for single-sample prediction: XF = X F (F the d x r factor of the metric,
/// M ~ F F^T, see <see cref="MetricFactor"/>) packed in panels of <see cref="Panel"/> centers, k-major
/// (panel[k * Panel + j] = (XF)_{Panel p + j, k}), with |x_i F|^2 alongside; <see cref="D"/> is r.
/// A prediction then streams the panels once with broadcast-FMA, no horizontal sums (a dot product per
/// center would pay one per center).
/// </summary>
sealed class PackedCenters<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Centers per panel: eight AVX-512 float vectors, so that the eight FMA chains of a prediction read
    /// one contiguous 512-byte row of the panel per feature (eight rows kilobytes apart, as narrower panels
    /// give, are served far slower by the prefetchers).</summary>
    public const int Panel = 128;

    public PackedCenters(ReadOnlySpan<T> centersM, ReadOnlySpan<T> norms, int n, int d)
    {
        N = n;
        D = d;
        int panels = (n + Panel - 1) / Panel;
        Panels = new T[panels * Panel * d];
        Norms = new T[panels * Panel];
        norms.CopyTo(Norms);
        for (int i = 0; i < n; i++)
        {
            int p = i / Panel, j = i % Panel;
            for (int k = 0; k < d; k++)
                Panels[(p * d + k) * Panel + j] = centersM[i * d + k];
        }
    }

    public int N { get; }
    public int D { get; }
    public T[] Panels { get; }
    public T[] Norms { get; }
}

/// <summary>One prediction f(x) = sum_i alpha_i k(|x - x_i|_M), allocation-free, from <see cref="PackedCenters{T}"/>.</summary>
static unsafe class KernelPredict
{
    /// <summary>Panels per chunk of a single-sample prediction (512 centers): the unit two threads share (small
    /// enough that a helper joining late leaves at most a short tail), and the unit of the reduction's partial
    /// sums, so the result does not depend on who ran which chunk.</summary>
    public const int ChunkPanels = 4;

    /// <summary>The number of chunks a prediction over <paramref name="n"/> centers splits into.</summary>
    public static int Chunks(int n) => (n + ChunkPanels * PackedCenters<float>.Panel - 1) / (ChunkPanels * PackedCenters<float>.Panel);

    /// <summary>output (c) = alpha^T k with k_i = kernel(|z|^2 + |x_i F|^2 - 2 z . (XF)_i), z = x F the mapped query
    /// (<see cref="MapQuery"/>); <paramref name="scratch"/>
    /// holds the padded kernel row (a multiple of <see cref="PackedCenters{T}.Panel"/> values) and then
    /// <see cref="Chunks"/> x c partial sums. With more than one of <paramref name="workers"/>, a large prediction's
    /// chunks are shared with helper threads (<see cref="ChunkSharing"/>); the result is the same either way (chunk
    /// partial sums are added in chunk order).</summary>
    public static void Predict<T>(IsaTier tier, KernelFunction kernel, PackedCenters<T> centers, T* x, T xNorm,
        T* alpha, int c, T* output, T* scratch, int workers = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = Chunks(centers.N);
        int padded = (centers.N + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        T* partials = scratch + padded;
        var job = PredictChunks<T>.ForThisThread;
        job.Set(tier, kernel, centers, x, xNorm, alpha, c, scratch, partials);
        try
        {
            ChunkSharing.Run(job, chunks, (long)centers.N * centers.D >= MinShared ? workers : 1);
        }
        finally
        {
            job.Clear();
        }
        SumChunks(partials, chunks, c, output);
    }

    /// <summary>The smallest prediction (centers x their mapped dimension, the rank) whose chunks are shared: below
    /// it the hand-off costs more than the work it moves.</summary>
    public const long MinShared = 1 << 18;

    /// <summary>Chunk <paramref name="chunk"/> of a prediction: the kernel values of its centers into
    /// <paramref name="kernelRow"/> (at their own indices) and their alpha-weighted sums into
    /// <paramref name="partials"/>[chunk * c .. + c]. Chunks touch disjoint memory, so threads may run them
    /// concurrently.</summary>
    public static void PredictChunk<T>(IsaTier tier, KernelFunction kernel, PackedCenters<T> centers, T* x, T xNorm,
        T* alpha, int c, T* kernelRow, T* partials, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int P = PackedCenters<T>.Panel;
        int panels = (centers.N + P - 1) / P;
        int first = chunk * ChunkPanels, last = Math.Min(panels, first + ChunkPanels);
        int start = first * P, end = Math.Min(centers.N, last * P);
        fixed (T* panelData = centers.Panels, norms = centers.Norms)
        {
            var args = new RowArgs<T>(panelData, norms, centers.N, centers.D, x, xNorm, kernelRow, first, last);
            var row = new RowUser<T>(tier, args, kernelRow + start, alpha + (nint)start * c, end - start, c, partials + (nint)chunk * c);
            KernelTransforms.With<T, RowUser<T>>(kernel, ref row);
        }
    }

    /// <summary>output (c) = the chunks' partial sums added in chunk order.</summary>
    public static void SumChunks<T>(T* partials, int chunks, int c, T* output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int q = 0; q < c; q++)
        {
            T s = T.Zero;
            for (int k = 0; k < chunks; k++)
                s += partials[(nint)k * c + q];
            output[q] = s;
        }
    }

    /// <summary>output (c) = alpha^T k. One output: a vector dot product (a scalar loop is one dependent
    /// add per center). Several: four interleaved partial sums per output.</summary>
    static void Reduce<TS, TVec, T>(T* k, T* alpha, int n, int c, T* output)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c == 1)
        {
            output[0] = SpanOps.Dot<TS, TVec, T>(k, alpha, n);
            return;
        }
        for (int q = 0; q < c; q++)
        {
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            T* a = alpha + q;
            int i = 0;
            for (; i + 4 <= n; i += 4)
            {
                s0 += k[i] * a[(nint)i * c];
                s1 += k[i + 1] * a[(nint)(i + 1) * c];
                s2 += k[i + 2] * a[(nint)(i + 2) * c];
                s3 += k[i + 3] * a[(nint)(i + 3) * c];
            }
            for (; i < n; i++)
                s0 += k[i] * a[(nint)i * c];
            output[q] = (s0 + s1) + (s2 + s3);
        }
    }

    /// <summary>z = x F for the d x r factor F (row-major) of the metric, as r-long axpys over the rows of F, and
    /// returns |z|^2 = x^T M x, accumulated in double. (A dot product per column of F would be a dependent scalar
    /// chain.)</summary>
    public static double MapQuery<T>(IsaTier tier, T* x, T* factor, int d, int r, T* z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var map = new MapUser<T>(x, factor, d, r, z);
        TierDispatch.Run<T, MapUser<T>>(tier, ref map);
        double norm = 0;
        for (int j = 0; j < r; j++)
            norm += double.CreateTruncating(z[j]) * double.CreateTruncating(z[j]);
        return norm;
    }

    readonly struct MapUser<T>(T* x, T* factor, int d, int r, T* z) : ITierUser<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct => RowsOf<TS, TVec, T>(x, factor, d, r, z);
    }

    /// <summary>z = sum_k x_k F(k, :).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RowsOf<TS, TVec, T>(T* x, T* factor, int d, int r, T* z)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        new Span<T>(z, r).Clear();
        for (int k = 0; k < d; k++)
            SpanOps.Axpy<TS, TVec, T>(x[k], factor + (nint)k * r, z, r);
    }

    readonly struct RowArgs<T>(T* panels, T* norms, int n, int d, T* x, T xNorm, T* k, int firstPanel, int endPanel) where T : unmanaged
    {
        public readonly T* Panels = panels, Norms = norms, X = x, K = k;
        public readonly int N = n, D = d, FirstPanel = firstPanel, EndPanel = endPanel;
        public readonly T XNorm = xNorm;
    }

    /// <summary>One chunk of a prediction: waits for its transform from <see cref="KernelTransforms"/>, then for its
    /// tier from <see cref="TierDispatch"/>, and runs the kernel row and the alpha reduction of the chunk.</summary>
    readonly struct RowUser<T>(IsaTier tier, RowArgs<T> args, T* k, T* alpha, int n, int c, T* output)
        : IRadialTransformUser<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Use<TF>(TF transform) where TF : struct, IRadialTransform<T>
        {
            var chunk = new ChunkUser<T, TF>(transform, args, k, alpha, n, c, output);
            TierDispatch.Run<T, ChunkUser<T, TF>>(tier, ref chunk);
        }
    }

    readonly struct ChunkUser<T, TF>(TF f, RowArgs<T> args, T* k, T* alpha, int n, int c, T* output) : ITierUser<T>
        where T : unmanaged, IFloatingPointIeee754<T> where TF : struct, IRadialTransform<T>
    {
        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct
        {
            Row<TS, TVec, T, TF>(f, args);
            Reduce<TS, TVec, T>(k, alpha, n, c, output);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row<TS, TVec, T, TF>(TF f, RowArgs<T> a)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        const int P = PackedCenters<T>.Panel;
        int w = TS.Count, d = a.D;
        // The dot products x . (XM)_i, eight vectors of centers at a time, so eight FMA chains are in flight (one
        // chain at a time runs at the FMA's latency, not its throughput).
        for (int p = a.FirstPanel; p < a.EndPanel; p++)
        {
            T* panel = a.Panels + (nint)p * d * P;
            for (int v = 0; v < P; v += 8 * w)
            {
                T* b = panel + v;
                TVec s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero, s4 = TS.Zero, s5 = TS.Zero, s6 = TS.Zero, s7 = TS.Zero;
                for (int k = 0; k < d; k++)
                {
                    TVec xk = TS.Splat(a.X[k]);
                    T* r = b + (nint)k * P;
                    s0 = TS.MulAdd(xk, TS.Load(r), s0);
                    s1 = TS.MulAdd(xk, TS.Load(r + w), s1);
                    s2 = TS.MulAdd(xk, TS.Load(r + 2 * w), s2);
                    s3 = TS.MulAdd(xk, TS.Load(r + 3 * w), s3);
                    s4 = TS.MulAdd(xk, TS.Load(r + 4 * w), s4);
                    s5 = TS.MulAdd(xk, TS.Load(r + 5 * w), s5);
                    s6 = TS.MulAdd(xk, TS.Load(r + 6 * w), s6);
                    s7 = TS.MulAdd(xk, TS.Load(r + 7 * w), s7);
                }
                T* k0 = a.K + p * P + v;
                TS.Store(k0, s0);
                TS.Store(k0 + w, s1);
                TS.Store(k0 + 2 * w, s2);
                TS.Store(k0 + 3 * w, s3);
                TS.Store(k0 + 4 * w, s4);
                TS.Store(k0 + 5 * w, s5);
                TS.Store(k0 + 6 * w, s6);
                TS.Store(k0 + 7 * w, s7);
            }
        }
        // Every center's kernel value in one tight pass over the dot products: the transform (a vector exp, and a
        // sqrt for Laplace) inlined once. Applied after each group instead, it was too much code for the inliner,
        // which left it as a call with vector arguments on the stack, several times slower.
        TVec xn = TS.Splat(a.XNorm), minusTwo = TS.Splat(T.CreateTruncating(-2.0));
        for (int i = a.FirstPanel * P, end = a.EndPanel * P; i < end; i += w)
        {
            TVec d2 = TS.MulAdd(minusTwo, TS.Load(a.K + i), TS.Add(xn, TS.Load(a.Norms + i)));
            TS.Store(a.K + i, f.Apply<TS, TVec>(TS.Select(TS.LessThan(d2, TS.Zero), TS.Zero, d2)));
        }
    }
}

/// <summary>The chunks of one single-sample prediction as a <see cref="ChunkedJob"/>: one reusable instance per
/// calling thread, so a prediction allocates nothing and concurrent callers never share one.</summary>
sealed unsafe class PredictChunks<T> : ChunkedJob where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    static PredictChunks<T>? t_instance;

    IsaTier _tier;
    KernelFunction _kernel;
    PackedCenters<T>? _centers;
    T* _x, _alpha, _row, _partials;
    T _xNorm;
    int _c;

    public static PredictChunks<T> ForThisThread => t_instance ??= new PredictChunks<T>();

    public void Set(IsaTier tier, KernelFunction kernel, PackedCenters<T> centers, T* x, T xNorm, T* alpha, int c, T* row, T* partials)
    {
        _tier = tier;
        _kernel = kernel;
        _centers = centers;
        _x = x;
        _xNorm = xNorm;
        _alpha = alpha;
        _c = c;
        _row = row;
        _partials = partials;
    }

    /// <summary>Drops the references to the caller's model and memory.</summary>
    public void Clear()
    {
        _centers = null;
        _x = _alpha = _row = _partials = null;
    }

    protected override void RunChunk(int chunk) =>
        KernelPredict.PredictChunk(_tier, _kernel, _centers!, _x, _xNorm, _alpha, _c, _row, _partials, chunk);
}
