using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>
/// The centers of a fitted model laid out for single-sample prediction: XM = X M packed in panels of
/// <see cref="Panel"/> centers, k-major (panel[k * Panel + j] = (XM)_{16p + j, k}), with |x_i|_M^2 alongside.
/// A prediction then streams the panels once with broadcast-FMA, no horizontal sums (a dot product per
/// center would pay one per center).
/// </summary>
sealed class PackedCenters<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Centers per panel: one AVX-512 float vector.</summary>
    public const int Panel = 16;

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
    /// <summary>output (c) = alpha^T k with k_i = kernel(|x|_M^2 + |x_i|_M^2 - 2 x . (XM)_i); <paramref name="scratch"/>
    /// holds the padded kernel row (a multiple of 16 values).</summary>
    public static void Predict<T>(IsaTier tier, KernelFunction kernel, PackedCenters<T> centers, T* x, T xNorm,
        T* alpha, int c, T* output, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* panels = centers.Panels, norms = centers.Norms)
        {
            var row = new RowUser<T>(tier, new RowArgs<T>(panels, norms, centers.N, centers.D, x, xNorm, scratch));
            KernelTransforms.With<T, RowUser<T>>(kernel, ref row);
        }
        Reduce(tier, scratch, alpha, centers.N, c, output);
    }

    /// <summary>output (c) = alpha^T k. One output: a vector dot product (a scalar loop is one dependent
    /// add per center, 4 cycles each). Several: four interleaved partial sums per output.</summary>
    static void Reduce<T>(IsaTier tier, T* k, T* alpha, int n, int c, T* output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c == 1)
        {
            output[0] = tier switch
            {
                IsaTier.V512 => RowNorms.Dot<Simd512<T>, Vector512<T>, T>(k, alpha, n),
                IsaTier.V256 => RowNorms.Dot<Simd256<T>, Vector256<T>, T>(k, alpha, n),
                IsaTier.V128 => RowNorms.Dot<Simd128<T>, Vector128<T>, T>(k, alpha, n),
                _ => RowNorms.Dot<SimdScalar<T>, T, T>(k, alpha, n),
            };
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

    /// <summary>xm = x M (M symmetric, d x d row-major: the sum of x_k times row k, as vector axpys) and
    /// returns x^T M x, accumulated in double. A dot product per column of M would be a dependent scalar
    /// chain: 12 us at d = 100.</summary>
    public static double TransformQuery<T>(IsaTier tier, T* x, T* metric, int d, T* xm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        new Span<T>(xm, d).Clear();
        for (int k = 0; k < d; k++)
        {
            T* row = metric + (nint)k * d;
            switch (tier)
            {
                case IsaTier.V512: SpanOps.Axpy<Simd512<T>, Vector512<T>, T>(x[k], row, xm, d); break;
                case IsaTier.V256: SpanOps.Axpy<Simd256<T>, Vector256<T>, T>(x[k], row, xm, d); break;
                case IsaTier.V128: SpanOps.Axpy<Simd128<T>, Vector128<T>, T>(x[k], row, xm, d); break;
                default: SpanOps.Axpy<SimdScalar<T>, T, T>(x[k], row, xm, d); break;
            }
        }
        double norm = 0;
        for (int j = 0; j < d; j++)
            norm += double.CreateTruncating(xm[j]) * double.CreateTruncating(x[j]);
        return norm;
    }

    readonly struct RowArgs<T>(T* panels, T* norms, int n, int d, T* x, T xNorm, T* k) where T : unmanaged
    {
        public readonly T* Panels = panels, Norms = norms, X = x, K = k;
        public readonly int N = n, D = d;
        public readonly T XNorm = xNorm;
    }

    /// <summary>One prediction row, waiting for its transform from <see cref="KernelTransforms"/>.</summary>
    readonly struct RowUser<T>(IsaTier tier, RowArgs<T> args) : IRadialTransformUser<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Use<TF>(TF transform) where TF : struct, IRadialTransform<T> => Dispatch(tier, transform, args);
    }

    static void Dispatch<T, TF>(IsaTier tier, TF f, RowArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> where TF : struct, IRadialTransform<T>
    {
        switch (tier)
        {
            case IsaTier.V512: Row<Simd512<T>, Vector512<T>, T, TF>(f, a); break;
            case IsaTier.V256: Row<Simd256<T>, Vector256<T>, T, TF>(f, a); break;
            case IsaTier.V128: Row<Simd128<T>, Vector128<T>, T, TF>(f, a); break;
            default: Row<SimdScalar<T>, T, T, TF>(f, a); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row<TS, TVec, T, TF>(TF f, RowArgs<T> a)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        const int P = PackedCenters<T>.Panel;
        int w = TS.Count, d = a.D, panels = (a.N + P - 1) / P;
        TVec xn = TS.Splat(a.XNorm), minusTwo = TS.Splat(T.CreateTruncating(-2.0));
        int p0 = Groups<TS, TVec, T, TF>(f, a, xn, minusTwo);
        for (int p = p0; p < panels; p++)
        {
            T* panel = a.Panels + (nint)p * d * P;
            // P / w vectors of accumulators per panel; each k is one broadcast and P / w FMAs.
            for (int v = 0; v < P; v += 4 * w)
            {
                TVec s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero;
                int lanes = Math.Min(4 * w, P - v);
                T* col = panel + v;
                for (int k = 0; k < d; k++)
                {
                    TVec xk = TS.Splat(a.X[k]);
                    T* pk = col + k * P;
                    s0 = TS.MulAdd(xk, TS.Load(pk), s0);
                    if (lanes > w) s1 = TS.MulAdd(xk, TS.Load(pk + w), s1);
                    if (lanes > 2 * w) s2 = TS.MulAdd(xk, TS.Load(pk + 2 * w), s2);
                    if (lanes > 3 * w) s3 = TS.MulAdd(xk, TS.Load(pk + 3 * w), s3);
                }
                T* k0 = a.K + p * P + v;
                T* n0 = a.Norms + p * P + v;
                Finish<TS, TVec, T, TF>(f, s0, xn, minusTwo, n0, k0);
                if (lanes > w) Finish<TS, TVec, T, TF>(f, s1, xn, minusTwo, n0 + w, k0 + w);
                if (lanes > 2 * w) Finish<TS, TVec, T, TF>(f, s2, xn, minusTwo, n0 + 2 * w, k0 + 2 * w);
                if (lanes > 3 * w) Finish<TS, TVec, T, TF>(f, s3, xn, minusTwo, n0 + 3 * w, k0 + 3 * w);
            }
        }
    }

    /// <summary>
    /// The bulk of the row: eight vectors of centers at a time (8 / (P / w) whole panels), so eight FMA
    /// chains are in flight. One panel at a time, a single AVX-512 chain ran at one FMA per 4 cycles (its
    /// latency): 126 us for 10000 centers at d = 100. Returns the first panel not done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Groups<TS, TVec, T, TF>(TF f, RowArgs<T> a, TVec xn, TVec minusTwo)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        const int P = PackedCenters<T>.Panel;
        int w = TS.Count, d = a.D, panels = (a.N + P - 1) / P;
        int vp = P / w;
        if (vp > 8 || P % w != 0)
            return 0;
        int g = 8 / vp;
        nint stride = (nint)d * P;
        int p = 0;
        for (; p + g <= panels; p += g)
        {
            T* b = a.Panels + p * stride;
            // Vector j of the group: panel j / vp, lanes (j % vp) * w onwards.
            T* q0 = b, q1 = b + Offset(1, vp, w, stride), q2 = b + Offset(2, vp, w, stride), q3 = b + Offset(3, vp, w, stride);
            T* q4 = b + Offset(4, vp, w, stride), q5 = b + Offset(5, vp, w, stride), q6 = b + Offset(6, vp, w, stride), q7 = b + Offset(7, vp, w, stride);
            TVec s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero, s4 = TS.Zero, s5 = TS.Zero, s6 = TS.Zero, s7 = TS.Zero;
            for (int k = 0; k < d; k++)
            {
                TVec xk = TS.Splat(a.X[k]);
                nint o = (nint)k * P;
                s0 = TS.MulAdd(xk, TS.Load(q0 + o), s0);
                s1 = TS.MulAdd(xk, TS.Load(q1 + o), s1);
                s2 = TS.MulAdd(xk, TS.Load(q2 + o), s2);
                s3 = TS.MulAdd(xk, TS.Load(q3 + o), s3);
                s4 = TS.MulAdd(xk, TS.Load(q4 + o), s4);
                s5 = TS.MulAdd(xk, TS.Load(q5 + o), s5);
                s6 = TS.MulAdd(xk, TS.Load(q6 + o), s6);
                s7 = TS.MulAdd(xk, TS.Load(q7 + o), s7);
            }
            // Norms and kernel values are laid out linearly: vector j of the group starts at p * P + j * w.
            T* n0 = a.Norms + p * P;
            T* k0 = a.K + p * P;
            Finish<TS, TVec, T, TF>(f, s0, xn, minusTwo, n0, k0);
            Finish<TS, TVec, T, TF>(f, s1, xn, minusTwo, n0 + w, k0 + w);
            Finish<TS, TVec, T, TF>(f, s2, xn, minusTwo, n0 + 2 * w, k0 + 2 * w);
            Finish<TS, TVec, T, TF>(f, s3, xn, minusTwo, n0 + 3 * w, k0 + 3 * w);
            Finish<TS, TVec, T, TF>(f, s4, xn, minusTwo, n0 + 4 * w, k0 + 4 * w);
            Finish<TS, TVec, T, TF>(f, s5, xn, minusTwo, n0 + 5 * w, k0 + 5 * w);
            Finish<TS, TVec, T, TF>(f, s6, xn, minusTwo, n0 + 6 * w, k0 + 6 * w);
            Finish<TS, TVec, T, TF>(f, s7, xn, minusTwo, n0 + 7 * w, k0 + 7 * w);
        }
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static nint Offset(int j, int vp, int w, nint stride) => j / vp * stride + j % vp * w;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Finish<TS, TVec, T, TF>(TF f, TVec dot, TVec xn, TVec minusTwo, T* norms, T* k)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        TVec d2 = TS.MulAdd(minusTwo, dot, TS.Add(xn, TS.Load(norms)));
        TS.Store(k, f.Apply<TS, TVec>(TS.Select(TS.LessThan(d2, TS.Zero), TS.Zero, d2)));
    }
}
