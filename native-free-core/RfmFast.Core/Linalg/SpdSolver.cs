using System;
using System.Runtime.CompilerServices;
using RfmFast.Core.Linalg;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

#pragma warning disable CA1720 // The members are named after the precisions they select, on purpose.
/// <summary>How <see cref="SpdSolver"/> spends precision.</summary>
public enum SolvePrecision
{
    /// <summary>Factor and solve in float: fastest, accurate to about cond(A) * 6e-8.</summary>
    Float32 = 0,

    /// <summary>Factor and solve in double: a double copy of A (8 n^2 bytes) is made.</summary>
    Float64 = 1,

    /// <summary>Factor in float, refine in double with the residual computed in double from A (kept in the
    /// upper triangle), until the backward error is at double level; fall back to <see cref="Float64"/>
    /// when the float factorization fails or the refinement stops converging.</summary>
    Mixed = 2,
}
#pragma warning restore CA1720

/// <summary>What a solve did.</summary>
/// <param name="Requested">The precision asked for.</param>
/// <param name="Used">The precision of the answer returned: <see cref="SolvePrecision.Float64"/> after a fallback.</param>
/// <param name="Refinements">Refinement steps taken (mixed precision).</param>
/// <param name="BackwardError">max over columns of ||b - A x||_inf / (||A||_inf ||x||_inf + ||b||_inf), with
/// ||A||_inf bounded by n max(diag A); NaN when not computed (single precision).</param>
/// <param name="FellBack">True when mixed precision fell back to the double factorization.</param>
/// <param name="Reason">Why it fell back, or null.</param>
public readonly record struct SolveReport(SolvePrecision Requested, SolvePrecision Used, int Refinements,
    double BackwardError, bool FellBack, string? Reason);

/// <summary>
/// Solves A X = B for a symmetric positive definite A given as a full float matrix (both triangles), the
/// kernel ridge regression system of RFM: in float, in double, or in mixed precision (the default).
/// </summary>
public static class SpdSolver
{
    /// <summary>The most refinement steps before mixed precision gives up and falls back.</summary>
    public const int MaxRefinements = 10;

    /// <summary>
    /// Solves A X = B, A defined by its lower triangle (diagonal included). With mixed and double precision
    /// the strict upper triangle is first overwritten with the mirror of the lower one (A is then exactly
    /// symmetric, and the refinement reads A back from there). On return the lower triangle holds the float
    /// Cholesky factor (single and mixed precision); with <see cref="SolvePrecision.Float64"/> the lower
    /// triangle is not modified.
    /// </summary>
    /// <param name="a">A, n x n, symmetric positive definite; its lower triangle is read.</param>
    /// <param name="b">B, n x c.</param>
    /// <param name="x">X, n x c, written; must not overlap A or B.</param>
    /// <param name="precision">How to spend precision; see <see cref="SolvePrecision"/>.</param>
    /// <returns>What was done, and the backward error reached.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, or the buffers overlap.</exception>
    /// <exception cref="NotPositiveDefiniteException">A is not positive definite even in double (or in float
    /// with <see cref="SolvePrecision.Float32"/>); A is left as it was.</exception>
    public static SolveReport Solve(MatrixView<float> a, ReadOnlyMatrixView<float> b, MatrixView<double> x,
        SolvePrecision precision = SolvePrecision.Mixed) =>
        Solve(Isa.Best, WorkerPool.DefaultWorkers, a, b, x, precision);

    internal static SolveReport Solve(IsaTier tier, int workers, MatrixView<float> a, ReadOnlyMatrixView<float> b,
        MatrixView<double> x, SolvePrecision precision) => Solve(tier, workers, a, b, x, precision, mirror: true);

    /// <summary>
    /// The solve for a matrix whose two triangles both hold A up to rounding, such as a kernel matrix
    /// K(X, X) computed in full: the upper triangle is used as it is (no mirroring pass, 5% of a solve at
    /// n = 10000), so the refinement converges to the system of the upper triangle, which is as much "A" as
    /// the lower one.
    /// </summary>
    internal static SolveReport SolveFullSymmetric(MatrixView<float> a, ReadOnlyMatrixView<float> b, MatrixView<double> x,
        SolvePrecision precision) =>
        Solve(Isa.Best, WorkerPool.DefaultWorkers, a, b, x, precision, mirror: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe SolveReport Solve(IsaTier tier, int workers, MatrixView<float> a, ReadOnlyMatrixView<float> b,
        MatrixView<double> x, SolvePrecision precision, bool mirror)
    {
        int n = a.Rows, c = b.Cols;
        if (a.Cols != n)
            ThrowHelper.Argument(nameof(a), $"A is {a.Rows} x {a.Cols}; it must be square.");
        if (b.Rows != n)
            ThrowHelper.Argument(nameof(b), $"B has {b.Rows} rows; A is {n} x {n}.");
        if (x.Rows != n || x.Cols != c)
            ThrowHelper.Argument(nameof(x), $"X is {x.Rows} x {x.Cols}; it must be {n} x {c}.");
        Blas.CheckNoOverlap<float>(b.Data, a.Data, nameof(b));
        if (n == 0 || c == 0)
            return new SolveReport(precision, precision, 0, 0, false, null);

        // The lower triangle defines A. The mixed residual and the double path read A back from the upper
        // triangle (the lower one becomes the factor), so make the two agree exactly first: a kernel matrix
        // computed by expansion can differ between its triangles in the last bit.
        if (precision != SolvePrecision.Float32 && mirror)
            MirrorLowerToUpper(a);
        using var diag = PooledBuffer<double>.Rent(n);
        for (int i = 0; i < n; i++)
            diag.Span[i] = a[i, i];

        if (precision == SolvePrecision.Float64)
        {
            SolveDouble(tier, workers, a, diag.Span, b, x);
            return new SolveReport(precision, SolvePrecision.Float64, 0, double.NaN, false, null);
        }

        using var work = PooledBuffer<float>.Rent(n * c);
        var fb = new MatrixView<float>(work.Span, n, c);
        try
        {
            Cholesky.Factor(tier, workers, a);
        }
        catch (NotPositiveDefiniteException e) when (precision == SolvePrecision.Mixed)
        {
            SolveDouble(tier, workers, a, diag.Span, b, x);
            return new SolveReport(precision, SolvePrecision.Float64, 0, double.NaN, true,
                $"the float factorization failed at pivot {e.Pivot}");
        }
        for (int i = 0; i < n; i++)
            b.Row(i).CopyTo(fb.Row(i));
        Cholesky.Solve<float>(tier, workers, a, fb);
        if (precision == SolvePrecision.Float32)
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < c; j++)
                    x[i, j] = fb[i, j];
            return new SolveReport(precision, SolvePrecision.Float32, 0, double.NaN, false, null);
        }
        return Refine(tier, workers, a, diag.Span, b, x, fb);
    }

    static unsafe void MirrorLowerToUpper(MatrixView<float> a)
    {
        fixed (float* p = a.Data)
            TriangleMirror.LowerToUpper(p, a.Ld, a.Rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe SolveReport Refine(IsaTier tier, int workers, MatrixView<float> a, Span<double> diag,
        ReadOnlyMatrixView<float> b, MatrixView<double> x, MatrixView<float> fb)
    {
        int n = a.Rows, c = b.Cols;
        using var buffers = PooledBuffer<double>.Rent(3 * c * n + 2 * c);
        Span<double> all = buffers.Span;
        Span<double> xt = all[..(c * n)], bt = all.Slice(c * n, c * n), rt = all.Slice(2 * c * n, c * n);
        Span<double> prev = all.Slice(3 * c * n, c), bNorm = all.Slice(3 * c * n + c, c);
        double maxDiag = 0;
        foreach (double d in diag)
            maxDiag = Math.Max(maxDiag, Math.Abs(d));
        double aNorm = maxDiag * n; // ||A||_inf <= n max|A_ij| = n max(diag) for SPD A
        for (int q = 0; q < c; q++)
        {
            bNorm[q] = 0;
            prev[q] = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                xt[q * n + i] = fb[i, q];
                bt[q * n + i] = b[i, q];
                bNorm[q] = Math.Max(bNorm[q], Math.Abs(bt[q * n + i]));
            }
        }
        // Converged: backward error at the level LAPACK's dsposv accepts, sqrt(n) eps_double.
        double target = Math.Sqrt(n) * 1.1102230246251565e-16;
        double worst = double.NaN;
        int steps = 0;
        fixed (float* pa = a.Data)
        fixed (double* pd = diag, px = xt, pb = bt, pr = rt)
        {
            for (int step = 0; ; step++)
            {
                SymmetricResidual.Compute(tier, workers, pa, a.Ld, pd, n, px, pb, pr, c);
                bool done = true, stalled = false;
                worst = 0;
                for (int q = 0; q < c; q++)
                {
                    double rNorm = 0, xNorm = 0;
                    for (int i = 0; i < n; i++)
                    {
                        rNorm = Math.Max(rNorm, Math.Abs(pr[q * n + i]));
                        xNorm = Math.Max(xNorm, Math.Abs(px[q * n + i]));
                    }
                    double be = rNorm / (aNorm * xNorm + bNorm[q]);
                    worst = Math.Max(worst, be);
                    if (!(be <= target))
                        done = false;
                    // Not contracting by at least half: the float factor is too far from A.
                    if (!(rNorm <= 0.5 * prev[q]))
                        stalled = true;
                    prev[q] = rNorm;
                }
                if (done)
                {
                    Store(xt, x, n, c);
                    return new SolveReport(SolvePrecision.Mixed, SolvePrecision.Mixed, step, worst, false, null);
                }
                steps = step;
                if ((stalled && step > 0) || step == MaxRefinements || double.IsNaN(worst))
                    break;
                // d = A^-1 r in float, then x += d in double.
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < c; q++)
                        fb[i, q] = (float)pr[q * n + i];
                Cholesky.Solve<float>(tier, workers, a, fb);
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < c; q++)
                        px[q * n + i] += fb[i, q];
            }
        }
        // Fall back: rebuild A from the untouched upper triangle and the saved diagonal, in double.
        RestoreLower(a, diag);
        SolveDouble(tier, workers, a, diag, b, x);
        return new SolveReport(SolvePrecision.Mixed, SolvePrecision.Float64, steps, double.NaN, true,
            $"iterative refinement did not converge (backward error {worst:E2})");
    }

    static void Store(Span<double> xt, MatrixView<double> x, int n, int c)
    {
        for (int i = 0; i < n; i++)
            for (int q = 0; q < c; q++)
                x[i, q] = xt[q * n + i];
    }

    static void RestoreLower(MatrixView<float> a, Span<double> diag)
    {
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < i; j++)
                a[i, j] = a[j, i];
            a[i, i] = (float)diag[i];
        }
    }

    /// <summary>Builds A in double from the strict upper triangle and the diagonal, factors, solves.</summary>
    static void SolveDouble(IsaTier tier, int workers, MatrixView<float> a, Span<double> diag, ReadOnlyMatrixView<float> b,
        MatrixView<double> x)
    {
        int n = a.Rows, c = b.Cols;
        using var ad = PooledBuffer<double>.Rent(n * n);
        var m = new MatrixView<double>(ad.Span, n, n);
        for (int i = 0; i < n; i++)
        {
            m[i, i] = diag[i];
            for (int j = i + 1; j < n; j++)
                m[j, i] = a[i, j];
        }
        Cholesky.Factor(tier, workers, m);
        for (int i = 0; i < n; i++)
            for (int q = 0; q < c; q++)
                x[i, q] = b[i, q];
        Cholesky.Solve<double>(tier, workers, m, x);
    }
}
