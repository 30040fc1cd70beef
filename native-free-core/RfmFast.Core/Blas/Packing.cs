using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Level3;

/// <summary>
/// Copies blocks of op(A) and op(B) into the micro-kernel's panel layouts, padding partial panels with
/// zeros so that the kernel always runs full tiles (the padded products are computed and discarded).
/// The tier <typeparamref name="TS"/> decides whether the in-register transposes of <see cref="PackTransposes"/>
/// are used (<see cref="ISimd{TVec, T}.HasAvxTransposes"/>), so a lowered tier packs by scalar copies.
/// </summary>
static unsafe class Packing<TS, TVec, T>
    where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc/MR) panels of MR x kc: dst[panel][k * MR + r].
    /// op(A)(i, k) is a[i * lda + k] when not transposed, a[k * lda + i] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(T* a, nint lda, bool trans, int i0, int p0, int mc, int kc, int mr, T* dst)
    {
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            T* panel = dst + (nint)ip * kc;
            if (!trans)
            {
                int k0 = rows == mr ? PackRows6Vectorized(a + (nint)(i0 + ip) * lda + p0, lda, kc, mr, panel) : 0;
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (nint)(i0 + ip + r) * lda + p0;
                    for (int k = k0; k < kc; k++)
                        panel[k * mr + r] = src[k];
                }
            }
            else
            {
                for (int k = 0; k < kc; k++)
                {
                    T* src = a + (nint)(p0 + k) * lda + i0 + ip;
                    T* d = panel + k * mr;
                    for (int r = 0; r < rows; r++)
                        d[r] = src[r];
                }
            }
            if (rows < mr)
            {
                for (int k = 0; k < kc; k++)
                    for (int r = rows; r < mr; r++)
                        panel[k * mr + r] = default;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ceil(nc/NR) panels of kc x NR: dst[panel][k * NR + j].
    /// op(B)(k, j) is b[k * ldb + j] when not transposed, b[j * ldb + k] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(T* b, nint ldb, bool trans, int p0, int j0, int kc, int nc, int nr, T* dst)
    {
        for (int jp = 0; jp < nc; jp += nr)
        {
            int cols = Math.Min(nr, nc - jp);
            T* panel = dst + (nint)jp * kc;
            if (!trans)
            {
                for (int k = 0; k < kc; k++)
                {
                    T* src = b + (nint)(p0 + k) * ldb + j0 + jp;
                    new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(panel + k * nr, cols));
                }
            }
            else
            {
                T* src0 = b + (nint)(j0 + jp) * ldb + p0;
                int k0 = cols == nr ? PackColumnsVectorized(src0, ldb, kc, nr, panel) : 0;
                for (int j = 0; j < cols; j++)
                {
                    T* src = src0 + (nint)j * ldb;
                    for (int k = k0; k < kc; k++)
                        panel[k * nr + j] = src[k];
                }
            }
            if (cols < nr)
            {
                for (int k = 0; k < kc; k++)
                    new Span<T>(panel + k * nr + cols, nr - cols).Clear();
            }
        }
    }

    /// <summary>
    /// The vectorized part of a full 6-row A panel (not transposed): columns [0, k0) of the panel, k0 a
    /// multiple of the transpose width; the caller copies the rest. Returns 0 where there is no such path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int PackRows6Vectorized(T* src, nint lds, int kc, int mr, T* panel)
    {
        if (mr != 6 || !TS.HasAvxTransposes)
            return 0;
        int k = 0;
        if (typeof(T) == typeof(float))
        {
            for (; k + 8 <= kc; k += 8)
                PackTransposes.Rows6x8((float*)src + k, lds, (float*)panel + k * 6);
        }
        else if (typeof(T) == typeof(double))
        {
            for (; k + 4 <= kc; k += 4)
                PackTransposes.Rows6x4((double*)src + k, lds, (double*)panel + k * 6);
        }
        return k;
    }

    /// <summary>
    /// The vectorized part of a full B panel read from a transposed B (panel column j is source row j):
    /// panel rows [0, k0); the caller copies the rest. Returns 0 where there is no such path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int PackColumnsVectorized(T* src, nint lds, int kc, int nr, T* panel)
    {
        if (!TS.HasAvxTransposes)
            return 0;
        int k = 0;
        if (typeof(T) == typeof(float) && nr % 8 == 0)
        {
            for (; k + 8 <= kc; k += 8)
                for (int j = 0; j < nr; j += 8)
                    PackTransposes.Block8x8((float*)src + j * lds + k, lds, (float*)panel + k * nr + j, nr);
        }
        else if (typeof(T) == typeof(double) && nr % 4 == 0)
        {
            for (; k + 4 <= kc; k += 4)
                for (int j = 0; j < nr; j += 4)
                    PackTransposes.Block4x4((double*)src + j * lds + k, lds, (double*)panel + k * nr + j, nr);
        }
        return k;
    }
}
