using System;
using System.Runtime.CompilerServices;
using System.Numerics;
using RfmFast.Core.Kernels;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Linalg;

/// <summary>
/// Recursive Cholesky and triangular solves on row-major lower-triangular factors, with almost all the
/// work in the core's packed GEMM and SYRK (parallel over the cores): split in halves, factor the top,
/// solve the panel, update the trailing block, recurse (Gustavson's recursive formulation). Only the
/// small base cases run here, as vectorized dot products and axpys on contiguous rows.
/// </summary>
/// <remarks>Assumptions: L (and A) row-major with leading dimension ld; only the lower triangle is read
/// or written; right-hand sides B are n x c row-major.</remarks>
static unsafe class CholeskyKernels<TS, TVec, T>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this order the factorization is done by dot products.</summary>
    const int FactorBase = 64;

    /// <summary>Below this width the left-side triangular solves are done by axpys.</summary>
    const int SolveBase = 32;

    /// <summary>Up to this width B L^-T is solved by <see cref="TrsmRightBase{TS, TVec, T}"/>.</summary>
    const int TrsmBase = TrsmRightBase<TS, TVec, T>.MaxWidth;

    /// <summary>Factors the n x n lower triangle of a in place; returns -1, or the 0-based index of the
    /// first pivot that is not positive (the factorization stops there).</summary>
    public static int Factor(IsaTier tier, int workers, T* a, nint lda, int n, out T badPivot)
    {
        badPivot = T.Zero;
        if (n <= FactorBase)
            return FactorBaseCase(a, lda, n, out badPivot);
        int n1 = Split(n);
        int info = Factor(tier, workers, a, lda, n1, out badPivot);
        if (info >= 0)
            return info;
        T* a21 = a + n1 * lda;
        T* a22 = a21 + n1;
        // A21 <- A21 L11^-T
        SolveRightLowerTrans(tier, workers, a, lda, n1, a21, lda, n - n1);
        // A22 <- A22 - A21 A21^T
        Level3Calls.SyrkLower(tier, workers, n - n1, n1, -T.One, a21, lda, T.One, a22, lda);
        info = Factor(tier, workers, a22, lda, n - n1, out badPivot);
        return info >= 0 ? n1 + info : -1;
    }

    /// <summary>Halves, rounded to a multiple of 16 so the blocks align with the GEMM tiles.</summary>
    static int Split(int n) => Math.Max(16, n / 2 / 16 * 16);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int FactorBaseCase(T* a, nint lda, int n, out T badPivot)
    {
        badPivot = T.Zero;
        for (int j = 0; j < n; j++)
        {
            T* rowJ = a + j * lda;
            T d = rowJ[j] - RowNorms.Dot<TS, TVec, T>(rowJ, rowJ, j);
            if (!(d > T.Zero))
            {
                badPivot = d;
                return j;
            }
            T ljj = T.Sqrt(d);
            rowJ[j] = ljj;
            T inv = T.One / ljj;
            for (int i = j + 1; i < n; i++)
            {
                T* rowI = a + i * lda;
                rowI[j] = (rowI[j] - RowNorms.Dot<TS, TVec, T>(rowI, rowJ, j)) * inv;
            }
        }
        return -1;
    }

    /// <summary>B (m x n) &lt;- B L^-T, L n x n lower: each row b solves x L^T = b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveRightLowerTrans(IsaTier tier, int workers, T* l, nint ldl, int n, T* b, nint ldb, int m)
    {
        if (m == 0 || n == 0)
            return;
        if (n <= TrsmRightInverse<TS, TVec, T>.MaxWidth && m >= TrsmRightInverse<TS, TVec, T>.MinRows)
        {
            TrsmRightInverse<TS, TVec, T>.Run(tier, workers, l, ldl, n, b, ldb, m);
            return;
        }
        if (n <= TrsmBase)
        {
            TrsmRightBase<TS, TVec, T>.Run(workers, l, ldl, n, b, ldb, m);
            return;
        }
        int h = Split(n);
        SolveRightLowerTrans(tier, workers, l, ldl, h, b, ldb, m);
        // B2 <- B2 - X1 L21^T, L21 = L[h.., 0..h]
        Level3Calls.Gemm(tier, workers, false, true, m, n - h, h, -T.One, b, ldb, l + h * ldl, ldl, T.One, b + h, ldb);
        SolveRightLowerTrans(tier, workers, l + h * ldl + h, ldl, n - h, b + h, ldb, m);
    }

    /// <summary>B (n x c) &lt;- L^-1 B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLower(IsaTier tier, int workers, T* l, nint ldl, int n, T* b, nint ldb, int c)
    {
        if (n == 0 || c == 0)
            return;
        if (c == 1)
        {
            // One right-hand side: a dot product per row of L, streaming L once.
            for (int k = 0; k < n; k++)
            {
                T* lk = l + k * ldl;
                b[k * ldb] = (b[k * ldb] - DotStrided(lk, b, ldb, k)) / lk[k];
            }
            return;
        }
        if (n <= SolveBase)
        {
            for (int k = 0; k < n; k++)
            {
                T* lk = l + k * ldl;
                T* yk = b + k * ldb;
                for (int p = 0; p < k; p++)
                    SpanOps.Axpy<TS, TVec, T>(-lk[p], b + p * ldb, yk, c);
                SpanOps.Scale<TS, TVec, T>(T.One / lk[k], yk, c);
            }
            return;
        }
        int h = Split(n);
        SolveLower(tier, workers, l, ldl, h, b, ldb, c);
        Level3Calls.Gemm(tier, workers, false, false, n - h, c, h, -T.One, l + h * ldl, ldl, b, ldb, T.One, b + h * ldb, ldb);
        SolveLower(tier, workers, l + h * ldl + h, ldl, n - h, b + h * ldb, ldb, c);
    }

    /// <summary>B (n x c) &lt;- L^-T B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLowerTrans(IsaTier tier, int workers, T* l, nint ldl, int n, T* b, nint ldb, int c)
    {
        if (n == 0 || c == 0)
            return;
        if (c == 1)
        {
            // Column-oriented: x_k = y_k / L_kk, then y[0..k) -= x_k L[k, 0..k): row k of L is contiguous.
            for (int k = n - 1; k >= 0; k--)
            {
                T* lk = l + k * ldl;
                T xk = b[k * ldb] / lk[k];
                b[k * ldb] = xk;
                if (ldb == 1)
                    SpanOps.Axpy<TS, TVec, T>(-xk, lk, b, k);
                else
                    for (int p = 0; p < k; p++)
                        b[p * ldb] -= xk * lk[p];
            }
            return;
        }
        if (n <= SolveBase)
        {
            for (int k = n - 1; k >= 0; k--)
            {
                T* lk = l + k * ldl;
                T* xk = b + k * ldb;
                SpanOps.Scale<TS, TVec, T>(T.One / lk[k], xk, c);
                for (int p = 0; p < k; p++)
                    SpanOps.Axpy<TS, TVec, T>(-lk[p], xk, b + p * ldb, c);
            }
            return;
        }
        int h = Split(n);
        SolveLowerTrans(tier, workers, l + h * ldl + h, ldl, n - h, b + h * ldb, ldb, c);
        // B1 <- B1 - L21^T X2
        Level3Calls.Gemm(tier, workers, true, false, h, c, n - h, -T.One, l + h * ldl, ldl, b + h * ldb, ldb, T.One, b, ldb);
        SolveLowerTrans(tier, workers, l, ldl, h, b, ldb, c);
    }

    static T DotStrided(T* x, T* y, nint incy, int n)
    {
        if (incy == 1)
            return RowNorms.Dot<TS, TVec, T>(x, y, n);
        T s = T.Zero;
        for (int i = 0; i < n; i++)
            s += x[i] * y[i * incy];
        return s;
    }
}
