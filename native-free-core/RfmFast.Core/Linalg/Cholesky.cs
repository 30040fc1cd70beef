using System;
using System.Numerics;
using RfmFast.Core.Linalg;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>
/// Cholesky factorization A = L L^T of a symmetric positive definite matrix in place (LAPACK potrf,
/// lower), triangular solves with one or many right-hand sides (trsm / potrs), and the log-determinant.
/// Row-major views; float and double; recursive, with the work in the core's parallel GEMM and SYRK.
/// </summary>
public static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle (diagonal included) of <paramref name="a"/> with L, A = L L^T. Only the
    /// lower triangle is read; the strict upper triangle is neither read nor written on success.
    /// </summary>
    /// <remarks>
    /// On failure the lower triangle is restored before the exception is thrown: from the strict upper
    /// triangle (A(i, j) = A(j, i)) and the saved diagonal. A full symmetric input is therefore left exactly
    /// as it was, and the caller can add a jitter to the diagonal and retry (see <see cref="FactorWithJitter(MatrixView{float}, double, int)"/>).
    /// A caller that filled only the lower triangle gets its upper triangle copied into the lower one.
    /// </remarks>
    /// <param name="a">A square matrix; its lower triangle becomes L.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    /// <exception cref="NotPositiveDefiniteException">A pivot was not positive (or NaN); it carries the pivot index.</exception>
    public static void Factor(MatrixView<float> a) => Factor(Isa.Best, WorkerPool.DefaultWorkers, a);

    /// <inheritdoc cref="Factor(MatrixView{float})"/>
    public static void Factor(MatrixView<double> a) => Factor(Isa.Best, WorkerPool.DefaultWorkers, a);

    /// <summary>
    /// Factors like <see cref="Factor(MatrixView{float})"/>; when the matrix is not positive definite, adds
    /// eps * mean(diag(A)) * 10^k to the diagonal for k = 0, 1, 2, ... and retries, up to
    /// <paramref name="maxAttempts"/> jittered attempts. Returns the jitter added (0 when the first attempt
    /// succeeded): the factor is then of A + jitter I, and the strict upper triangle still holds A.
    /// </summary>
    /// <param name="a">A full symmetric matrix (both triangles), so that a failed attempt can be undone.</param>
    /// <param name="eps">The relative size of the first jitter (default 1e-7, about float's epsilon).</param>
    /// <param name="maxAttempts">How many jittered attempts at most (default 8: up to eps * 10^7 relative).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eps"/> is not positive, or <paramref name="maxAttempts"/> is negative.</exception>
    /// <exception cref="NotPositiveDefiniteException">The last attempt failed too; the matrix is as it was.</exception>
    public static double FactorWithJitter(MatrixView<float> a, double eps = 1e-7, int maxAttempts = 8) =>
        FactorWithJitter(Isa.Best, WorkerPool.DefaultWorkers, a, eps, maxAttempts);

    /// <inheritdoc cref="FactorWithJitter(MatrixView{float}, double, int)"/>
    public static double FactorWithJitter(MatrixView<double> a, double eps = 1e-7, int maxAttempts = 8) =>
        FactorWithJitter(Isa.Best, WorkerPool.DefaultWorkers, a, eps, maxAttempts);

    /// <summary>Solves A X = B in place, A = L L^T from <see cref="Factor(MatrixView{float})"/>: B (n x c) becomes X.</summary>
    /// <param name="l">The factor (its lower triangle is read).</param>
    /// <param name="b">The right-hand sides, n x c; overwritten with the solution.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or B overlaps L.</exception>
    public static void Solve(ReadOnlyMatrixView<float> l, MatrixView<float> b) => Solve(Isa.Best, WorkerPool.DefaultWorkers, l, b);

    /// <inheritdoc cref="Solve(ReadOnlyMatrixView{float}, MatrixView{float})"/>
    public static void Solve(ReadOnlyMatrixView<double> l, MatrixView<double> b) => Solve(Isa.Best, WorkerPool.DefaultWorkers, l, b);

    /// <summary>B &lt;- op(L)^-1 B for the lower-triangular L (trsm, left side).</summary>
    /// <param name="l">The lower-triangular factor (its lower triangle is read).</param>
    /// <param name="trans">No: solves L X = B; Yes: solves L^T X = B.</param>
    /// <param name="b">n x c, overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or B overlaps L.</exception>
    public static void SolveTriangular(ReadOnlyMatrixView<float> l, Transpose trans, MatrixView<float> b) =>
        SolveTriangular(Isa.Best, WorkerPool.DefaultWorkers, l, trans, b);

    /// <inheritdoc cref="SolveTriangular(ReadOnlyMatrixView{float}, Transpose, MatrixView{float})"/>
    public static void SolveTriangular(ReadOnlyMatrixView<double> l, Transpose trans, MatrixView<double> b) =>
        SolveTriangular(Isa.Best, WorkerPool.DefaultWorkers, l, trans, b);

    /// <summary>log det(A) = 2 sum log L(i, i), accumulated in double.</summary>
    /// <param name="l">The factor.</param>
    /// <exception cref="ArgumentException">L is not square.</exception>
    public static double LogDeterminant(ReadOnlyMatrixView<float> l) => LogDeterminant<float>(l);

    /// <inheritdoc cref="LogDeterminant(ReadOnlyMatrixView{float})"/>
    public static double LogDeterminant(ReadOnlyMatrixView<double> l) => LogDeterminant<double>(l);

    internal static unsafe void Factor<T>(IsaTier tier, int workers, MatrixView<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows != a.Cols)
            ThrowHelper.Argument(nameof(a), $"A is {a.Rows} x {a.Cols}; the Cholesky factorization needs a square matrix.");
        int n = a.Rows;
        if (n == 0)
            return;
        using var diagonal = PooledBuffer<T>.Rent(n);
        fixed (T* pa = a.Data)
        {
            nint lda = a.Ld;
            for (int i = 0; i < n; i++)
                diagonal.Pointer[i] = pa[i * lda + i];
            int info = Dispatch(tier, workers, pa, lda, n, out T bad);
            if (info < 0)
                return;
            // Undo: the strict upper triangle still holds A's off-diagonal entries.
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < i; j++)
                    pa[i * lda + j] = pa[j * lda + i];
                pa[i * lda + i] = diagonal.Pointer[i];
            }
            throw new NotPositiveDefiniteException(info, double.CreateTruncating(bad));
        }
    }

    internal static double FactorWithJitter<T>(IsaTier tier, int workers, MatrixView<T> a, double eps, int maxAttempts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(eps > 0) || !double.IsFinite(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "The jitter scale must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfNegative(maxAttempts);
        try
        {
            Factor(tier, workers, a);
            return 0;
        }
        catch (NotPositiveDefiniteException) when (maxAttempts > 0)
        {
        }
        double meanDiag = 0;
        for (int i = 0; i < a.Rows; i++)
            meanDiag += double.CreateTruncating(a[i, i]);
        meanDiag = Math.Abs(meanDiag / Math.Max(a.Rows, 1));
        if (meanDiag == 0 || !double.IsFinite(meanDiag))
            meanDiag = 1;
        double added = 0;
        for (int k = 0; ; k++)
        {
            double jitter = eps * meanDiag * Math.Pow(10, k);
            // The diagonal is restored after every failure, so add the difference to what is there now.
            T step = T.CreateTruncating(jitter - added);
            for (int i = 0; i < a.Rows; i++)
                a[i, i] += step;
            added = jitter;
            try
            {
                Factor(tier, workers, a);
                return jitter;
            }
            catch (NotPositiveDefiniteException) when (k + 1 < maxAttempts)
            {
            }
            catch (NotPositiveDefiniteException e)
            {
                for (int i = 0; i < a.Rows; i++)
                    a[i, i] -= T.CreateTruncating(added);
                throw new NotPositiveDefiniteException(
                    $"The matrix is not positive definite even with a jitter of {jitter:G3} ({maxAttempts} attempts); pivot {e.Pivot}.", e);
            }
        }
    }

    internal static unsafe void Solve<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> l, MatrixView<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSolve(l, b);
        fixed (T* pl = l.Data, pb = b.Data)
        {
            SolveDispatch(tier, workers, pl, l.Ld, l.Rows, pb, b.Ld, b.Cols, false);
            SolveDispatch(tier, workers, pl, l.Ld, l.Rows, pb, b.Ld, b.Cols, true);
        }
    }

    internal static unsafe void SolveTriangular<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> l, Transpose trans, MatrixView<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSolve(l, b);
        fixed (T* pl = l.Data, pb = b.Data)
            SolveDispatch(tier, workers, pl, l.Ld, l.Rows, pb, b.Ld, b.Cols, trans == Transpose.Yes);
    }

    internal static double LogDeterminant<T>(ReadOnlyMatrixView<T> l) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (l.Rows != l.Cols)
            ThrowHelper.Argument(nameof(l), $"L is {l.Rows} x {l.Cols}; it must be square.");
        double s = 0;
        for (int i = 0; i < l.Rows; i++)
            s += Math.Log(double.CreateTruncating(l[i, i]));
        return 2 * s;
    }

    static void CheckSolve<T>(ReadOnlyMatrixView<T> l, MatrixView<T> b)
    {
        if (l.Rows != l.Cols)
            ThrowHelper.Argument(nameof(l), $"L is {l.Rows} x {l.Cols}; it must be square.");
        if (b.Rows != l.Rows)
            ThrowHelper.Argument(nameof(b), $"B has {b.Rows} rows; L is {l.Rows} x {l.Rows}.");
        Blas.CheckNoOverlap<T>(b.Data, l.Data, nameof(l));
    }

    static unsafe int Dispatch<T>(IsaTier tier, int workers, T* a, nint lda, int n, out T bad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var user = new FactorUser<T>(tier, workers, a, lda, n);
        TierDispatch.Run<T, FactorUser<T>>(tier, ref user);
        bad = user.BadPivot;
        return user.Info;
    }

    static unsafe void SolveDispatch<T>(IsaTier tier, int workers, T* l, nint ldl, int n, T* b, nint ldb, int c, bool trans)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var user = new SolveUser<T>(tier, workers, l, ldl, n, b, ldb, c, trans);
        TierDispatch.Run<T, SolveUser<T>>(tier, ref user);
    }

    /// <summary>The factorization on one tier; <see cref="Info"/> is the failed pivot or -1.</summary>
    unsafe struct FactorUser<T>(IsaTier tier, int workers, T* a, nint lda, int n) : ITierUser<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Info;
        public T BadPivot;

        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct =>
            Info = CholeskyKernels<TS, TVec, T>.Factor(tier, workers, a, lda, n, out BadPivot);
    }

    /// <summary>One triangular solve (L or L^T) on one tier.</summary>
    readonly unsafe struct SolveUser<T>(IsaTier tier, int workers, T* l, nint ldl, int n, T* b, nint ldb, int c, bool trans)
        : ITierUser<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct
        {
            if (trans)
                CholeskyKernels<TS, TVec, T>.SolveLowerTrans(tier, workers, l, ldl, n, b, ldb, c);
            else
                CholeskyKernels<TS, TVec, T>.SolveLower(tier, workers, l, ldl, n, b, ldb, c);
        }
    }
}
