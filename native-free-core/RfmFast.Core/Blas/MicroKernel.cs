using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Level3;

/// <summary>
/// The GEMM micro-kernel: a 6 x (2 vectors) tile of C, written once over <see cref="ISimd{TVec, T}"/>
/// (BLIS's haswell 6x16 shape; 16 x 2 lanes = 6 x 32 floats on AVX-512).
/// </summary>
/// <remarks>
/// Assumptions (BLIS style):
/// <list type="bullet">
/// <item>a: a packed MR x kc micro-panel, column by column: a[k * MR + r] = op(A)(r, k).</item>
/// <item>b: a packed kc x NR micro-panel, row by row: b[k * NR + j] = op(B)(k, j).</item>
/// <item>c: a full MR x NR tile, row-major with leading dimension ldc. Edge tiles are the caller's job
/// (it passes a scratch tile and merges the valid part).</item>
/// <item>beta == 0 means C is not read at all, so NaN or garbage in C cannot leak into the result.</item>
/// </list>
/// Twelve accumulators cover the FMA latency times the FMA ports of current cores; the
/// broadcasts of A fold into the FMAs' memory operands.
/// </remarks>
static unsafe class MicroKernel
{
    /// <summary>Rows of the tile.</summary>
    public const int MR = 6;

    /// <summary>Columns of the tile for a tier: two vectors.</summary>
    public static int NR<TS, TVec, T>()
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        => 2 * TS.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TS, TVec, T>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TS.Count;
        TVec c00 = TS.Zero, c01 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero;
        TVec c30 = TS.Zero, c31 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero;
        nint nr = 2 * w;
        PrefetchTile<TS, TVec, T>(c, ldc, (int)nr);
        for (int k = 0; k < kc; k++)
        {
            TVec b0 = TS.Load(b);
            TVec b1 = TS.Load(b + w);
            TVec a0 = TS.Splat(a[0]);
            c00 = TS.MulAdd(a0, b0, c00);
            c01 = TS.MulAdd(a0, b1, c01);
            TVec a1 = TS.Splat(a[1]);
            c10 = TS.MulAdd(a1, b0, c10);
            c11 = TS.MulAdd(a1, b1, c11);
            TVec a2 = TS.Splat(a[2]);
            c20 = TS.MulAdd(a2, b0, c20);
            c21 = TS.MulAdd(a2, b1, c21);
            TVec a3 = TS.Splat(a[3]);
            c30 = TS.MulAdd(a3, b0, c30);
            c31 = TS.MulAdd(a3, b1, c31);
            TVec a4 = TS.Splat(a[4]);
            c40 = TS.MulAdd(a4, b0, c40);
            c41 = TS.MulAdd(a4, b1, c41);
            TVec a5 = TS.Splat(a[5]);
            c50 = TS.MulAdd(a5, b0, c50);
            c51 = TS.MulAdd(a5, b1, c51);
            a += MR;
            b += nr;
        }

        TVec va = TS.Splat(alpha);
        if (beta == T.Zero)
        {
            StoreRow<TS, TVec, T>(c, w, TS.Mul(va, c00), TS.Mul(va, c01));
            StoreRow<TS, TVec, T>(c + ldc, w, TS.Mul(va, c10), TS.Mul(va, c11));
            StoreRow<TS, TVec, T>(c + 2 * ldc, w, TS.Mul(va, c20), TS.Mul(va, c21));
            StoreRow<TS, TVec, T>(c + 3 * ldc, w, TS.Mul(va, c30), TS.Mul(va, c31));
            StoreRow<TS, TVec, T>(c + 4 * ldc, w, TS.Mul(va, c40), TS.Mul(va, c41));
            StoreRow<TS, TVec, T>(c + 5 * ldc, w, TS.Mul(va, c50), TS.Mul(va, c51));
        }
        else
        {
            TVec vb = TS.Splat(beta);
            UpdateRow<TS, TVec, T>(c, w, va, vb, c00, c01);
            UpdateRow<TS, TVec, T>(c + ldc, w, va, vb, c10, c11);
            UpdateRow<TS, TVec, T>(c + 2 * ldc, w, va, vb, c20, c21);
            UpdateRow<TS, TVec, T>(c + 3 * ldc, w, va, vb, c30, c31);
            UpdateRow<TS, TVec, T>(c + 4 * ldc, w, va, vb, c40, c41);
            UpdateRow<TS, TVec, T>(c + 5 * ldc, w, va, vb, c50, c51);
        }
    }

    /// <summary>Starts loading the C tile while the k loop runs, so the update at the end does not stall on
    /// a miss (BLIS kernels do the same). A hint only, and only where the tier has one (<see cref="ISimd{TVec, T}.Prefetch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void PrefetchTile<TS, TVec, T>(T* c, nint ldc, int nr)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < MR; r++)
        {
            TS.Prefetch(c);
            TS.Prefetch(c + nr - 1);
            c += ldc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow<TS, TVec, T>(T* c, int w, TVec x0, TVec x1)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TS.Store(c, x0);
        TS.Store(c + w, x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void UpdateRow<TS, TVec, T>(T* c, int w, TVec va, TVec vb, TVec x0, TVec x1)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TS.Store(c, TS.MulAdd(va, x0, TS.Mul(vb, TS.Load(c))));
        TS.Store(c + w, TS.MulAdd(va, x1, TS.Mul(vb, TS.Load(c + w))));
    }
}
