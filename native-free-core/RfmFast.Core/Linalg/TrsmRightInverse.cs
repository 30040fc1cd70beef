using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Linalg;

/// <summary>
/// The base case of B &lt;- B L^-T for a narrow L (w &lt;= <see cref="MaxWidth"/>) and a tall B
/// (m &gt;= <see cref="MinRows"/>): invert L (w^3 / 3 flops, in L1), then one GEMM B = B0 (L^-1)^T.
/// </summary>
/// <remarks>
/// Why: substitution runs across the rows of B, which are strided in a row-major B, so it has to
/// transpose B through a scratch tile and then runs axpys of short length, far below GEMM speed and a large
/// share of a float Cholesky (see bench/results/notes/core-measurements.md). The GEMM does twice the flops (L^-1 is applied as a full square) at the packed
/// GEMM's speed. Accuracy: the error of applying an inverse triangle grows with cond(L) like that of
/// substitution (Higham, Accuracy and Stability, ch. 8 and 14); L is a diagonal block of a Cholesky
/// factor, so cond(L) = sqrt(cond(A11)).
/// </remarks>
static unsafe class TrsmRightInverse<TS, TVec, T>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The widest L inverted.</summary>
    public const int MaxWidth = 128;

    /// <summary>Below this many rows of B the substitution is cheaper than inverting L.</summary>
    public const int MinRows = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IsaTier tier, int workers, T* l, nint ldl, int w, T* b, nint ldb, int m)
    {
        using var inverse = PooledBuffer<T>.Rent(w * w, clear: true);
        using var copy = PooledBuffer<T>.Rent(m * w);
        InvertLower(l, ldl, w, inverse.Pointer);
        // The GEMM must not read the B it writes: solve from a copy.
        T* b0 = copy.Pointer;
        nint bytes = (nint)w * sizeof(T);
        for (int i = 0; i < m; i++)
            Buffer.MemoryCopy(b + i * ldb, b0 + (nint)i * w, bytes, bytes);
        Level3Calls.Gemm(tier, workers, false, true, m, w, w, T.One, b0, w, inverse.Pointer, w, T.Zero, b, ldb);
    }

    /// <summary>
    /// inv (w x w, row-major, zeroed on entry) &lt;- L^-1, row by row from L inv = I:
    /// inv[i, 0..i) = -(sum over k &lt; i of L[i, k] inv[k, 0..k]) / L[i, i], inv[i, i] = 1 / L[i, i];
    /// each term is a contiguous axpy of an earlier row of inv.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void InvertLower(T* l, nint ldl, int w, T* inv)
    {
        for (int i = 0; i < w; i++)
        {
            T* li = l + i * ldl;
            T* row = inv + (nint)i * w;
            for (int k = 0; k < i; k++)
                SpanOps.Axpy<TS, TVec, T>(-li[k], inv + (nint)k * w, row, k + 1);
            T r = T.One / li[i];
            SpanOps.Scale<TS, TVec, T>(r, row, i);
            row[i] = r;
        }
    }
}
