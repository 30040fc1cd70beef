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

    /// <summary>Factor in float, refine in double by conjugate gradients preconditioned with the float factor,
    /// the residual computed in double from A (kept in the upper triangle), until the backward error is at
    /// double level. When float cannot factor A, a factor of A + shift I preconditions instead (the
    /// report's reason says so); falls back to <see cref="Float64"/> only when that fails too or the
    /// refinement stops converging.</summary>
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
    /// <summary>The most refinement steps (conjugate-gradient steps, each one pass over A and two float
    /// triangular solves) before mixed precision gives up and falls back to double. A good float factor needs
    /// two or three; a shifted one a few dozen.</summary>
    public const int MaxRefinements = 200;

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

    // maxRefinements: the step budget of the refinement; tests lower it to reach the fallback.
    internal static SolveReport Solve(IsaTier tier, int workers, MatrixView<float> a, ReadOnlyMatrixView<float> b,
        MatrixView<double> x, SolvePrecision precision, int maxRefinements = MaxRefinements) =>
        Solve(tier, workers, a, b, x, precision, mirror: true, maxRefinements);

    /// <summary>
    /// The solve for a matrix whose two triangles both hold A up to rounding, such as a kernel matrix
    /// K(X, X) computed in full: the upper triangle is used as it is (no mirroring pass), so the refinement
    /// converges to the system of the upper triangle, which is as much "A" as the lower one. Otherwise as
    /// <see cref="Solve(MatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{double}, SolvePrecision)"/>.
    /// </summary>
    /// <param name="a">A, n x n, symmetric positive definite with both triangles filled (equal up to rounding);
    /// its lower triangle is modified as by <see cref="Solve(MatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{double}, SolvePrecision)"/>.</param>
    /// <param name="b">B, n x c: the right-hand sides.</param>
    /// <param name="x">X, n x c, in double: the solution.</param>
    /// <param name="precision">How A is factored and the solution refined.</param>
    /// <returns>What was done, and the backward error reached.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, or the buffers overlap.</exception>
    /// <exception cref="NotPositiveDefiniteException">A is not positive definite even in double (or in float
    /// with <see cref="SolvePrecision.Float32"/>); A is left as it was.</exception>
    public static SolveReport SolveFullSymmetric(MatrixView<float> a, ReadOnlyMatrixView<float> b, MatrixView<double> x,
        SolvePrecision precision) =>
        Solve(Isa.Best, WorkerPool.DefaultWorkers, a, b, x, precision, mirror: false, MaxRefinements);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe SolveReport Solve(IsaTier tier, int workers, MatrixView<float> a, ReadOnlyMatrixView<float> b,
        MatrixView<double> x, SolvePrecision precision, bool mirror, int maxRefinements)
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
            MirrorLowerToUpper(tier, a);
        using var diag = PooledBuffer<double>.Rent(n);
        for (int i = 0; i < n; i++)
            diag.Span[i] = a[i, i];

        if (precision == SolvePrecision.Float64)
        {
            SolveDouble(tier, workers, a, diag.Span, b, x);
            return new SolveReport(precision, SolvePrecision.Float64, 0, double.NaN, false, null);
        }

        double shift = 0;
        try
        {
            Cholesky.Factor(tier, workers, a);
        }
        catch (NotPositiveDefiniteException e) when (precision == SolvePrecision.Mixed)
        {
            // A float factor of A + shift I still preconditions the double iteration on A well enough.
            try
            {
                shift = FactorShifted(tier, workers, a, diag.Span);
            }
            catch (NotPositiveDefiniteException)
            {
                SolveDouble(tier, workers, a, diag.Span, b, x);
                return new SolveReport(precision, SolvePrecision.Float64, 0, double.NaN, true,
                    $"the float factorization failed at pivot {e.Pivot}, and again with every shift tried");
            }
        }
        if (precision == SolvePrecision.Float32)
        {
            using var work = PooledBuffer<float>.Rent(n * c);
            var fb = new MatrixView<float>(work.Span, n, c);
            for (int i = 0; i < n; i++)
                b.Row(i).CopyTo(fb.Row(i));
            Cholesky.Solve<float>(tier, workers, a, fb);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < c; j++)
                    x[i, j] = fb[i, j];
            return new SolveReport(precision, SolvePrecision.Float32, 0, double.NaN, false, null);
        }

        double maxDiag = 0;
        foreach (double d in diag.Span)
            maxDiag = Math.Max(maxDiag, Math.Abs(d));
        double aNorm = maxDiag * n; // ||A||_inf <= n max|A_ij| = n max(diag) for SPD A
        // Converged: backward error at the level LAPACK's dsposv accepts, sqrt(n) eps_double.
        double target = Math.Sqrt(n) * 1.1102230246251565e-16;
        var outcome = ConjugateGradientRefinement.Solve(tier, workers, a, diag.Span, b, x, target, aNorm, maxRefinements);
        string? shifted = shift > 0 ? $"float could not factor A; A + {shift:G3} I preconditioned the refinement" : null;
        if (outcome.Converged)
            return new SolveReport(precision, SolvePrecision.Mixed, outcome.Steps, outcome.BackwardError, false, shifted);
        // Fall back: rebuild A from the untouched upper triangle and the saved diagonal, in double.
        RestoreLower(a, diag.Span);
        SolveDouble(tier, workers, a, diag.Span, b, x);
        return new SolveReport(precision, SolvePrecision.Float64, outcome.Steps, double.NaN, true,
            $"the refinement did not converge in {outcome.Steps} steps (backward error {outcome.BackwardError:E2})"
            + (shifted is null ? "" : "; " + shifted));
    }

    /// <summary>Relative size of the first diagonal shift, per row: float's rounding in a factorization of n
    /// rows grows like n eps_float, and a shift below what rounding adds fails again. Too large a shift only
    /// costs refinement steps (about sqrt(shift / smallest eigenvalue) more), while every failed attempt costs
    /// a whole factorization.</summary>
    const double ShiftPerRow = 5.9604644775390625e-8 / 8; // eps_float / 8

    /// <summary>How many shifts, each ten times the last, before giving up on float.</summary>
    const int ShiftAttempts = 4;

    /// <summary>Factors A + shift I in float for growing shifts; returns the one that worked. A (its strict upper
    /// triangle and <paramref name="diag"/>) is not changed; on failure the lower triangle holds A again.</summary>
    static double FactorShifted(IsaTier tier, int workers, MatrixView<float> a, ReadOnlySpan<double> diag)
    {
        int n = a.Rows;
        double mean = 0;
        foreach (double d in diag)
            mean += Math.Abs(d);
        mean = n == 0 || !(mean > 0) || !double.IsFinite(mean) ? 1 : mean / n;
        double shift = mean * Math.Max(1e-6, n * ShiftPerRow);
        for (int attempt = 0; ; attempt++, shift *= 10)
        {
            for (int i = 0; i < n; i++)
                a[i, i] = (float)(diag[i] + shift);
            try
            {
                Cholesky.Factor(tier, workers, a);
                return shift;
            }
            catch (NotPositiveDefiniteException) when (attempt + 1 < ShiftAttempts)
            {
            }
            catch (NotPositiveDefiniteException)
            {
                for (int i = 0; i < n; i++)
                    a[i, i] = (float)diag[i];
                throw;
            }
        }
    }

    static unsafe void MirrorLowerToUpper(IsaTier tier, MatrixView<float> a)
    {
        fixed (float* p = a.Data)
            TriangleMirror.LowerToUpper(tier, p, a.Ld, a.Rows);
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
