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
        double l = kernel.Bandwidth;
        fixed (T* panels = centers.Panels, norms = centers.Norms)
        {
            var row = new RowArgs<T>(panels, norms, centers.N, centers.D, x, xNorm, scratch);
            switch (kernel.Kind)
            {
                case KernelKind.Laplace:
                    Dispatch(tier, new LaplaceTransform<T>(T.CreateTruncating(-1.0 / l)), row);
                    break;
                case KernelKind.Gaussian:
                    Dispatch(tier, new GaussianTransform<T>(T.CreateTruncating(-1.0 / (2 * l * l))), row);
                    break;
                default:
                    Dispatch(tier, new GeneralizedLaplaceTransform<T>(T.CreateTruncating(1.0 / (l * l)), T.CreateTruncating(kernel.Exponent / 2)), row);
                    break;
            }
        }
        int n = centers.N;
        for (int q = 0; q < c; q++)
            output[q] = T.Zero;
        for (int i = 0; i < n; i++)
        {
            T k = scratch[i];
            T* a = alpha + (nint)i * c;
            for (int q = 0; q < c; q++)
                output[q] += k * a[q];
        }
    }

    readonly struct RowArgs<T>(T* panels, T* norms, int n, int d, T* x, T xNorm, T* k) where T : unmanaged
    {
        public readonly T* Panels = panels, Norms = norms, X = x, K = k;
        public readonly int N = n, D = d;
        public readonly T XNorm = xNorm;
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
        for (int p = 0; p < panels; p++)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Finish<TS, TVec, T, TF>(TF f, TVec dot, TVec xn, TVec minusTwo, T* norms, T* k)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        TVec d2 = TS.MulAdd(minusTwo, dot, TS.Add(xn, TS.Load(norms)));
        TS.Store(k, f.Apply<TS, TVec>(TS.Select(TS.LessThan(d2, TS.Zero), TS.Zero, d2)));
    }
}
