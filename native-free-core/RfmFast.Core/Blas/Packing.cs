using System;
using System.Runtime.CompilerServices;

namespace RfmFast.Core.Level3;

/// <summary>
/// Copies blocks of op(A) and op(B) into the micro-kernel's panel layouts, padding partial panels with
/// zeros so that the kernel always runs full tiles (the padded products are computed and discarded).
/// </summary>
static unsafe class Packing
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc/MR) panels of MR x kc: dst[panel][k * MR + r].
    /// op(A)(i, k) is a[i * lda + k] when not transposed, a[k * lda + i] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* a, nint lda, bool trans, int i0, int p0, int mc, int kc, int mr, T* dst)
        where T : unmanaged
    {
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            T* panel = dst + (nint)ip * kc;
            if (!trans)
            {
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (nint)(i0 + ip + r) * lda + p0;
                    for (int k = 0; k < kc; k++)
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
    public static void PackB<T>(T* b, nint ldb, bool trans, int p0, int j0, int kc, int nc, int nr, T* dst)
        where T : unmanaged
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
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + (nint)(j0 + jp + j) * ldb + p0;
                    for (int k = 0; k < kc; k++)
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
}
