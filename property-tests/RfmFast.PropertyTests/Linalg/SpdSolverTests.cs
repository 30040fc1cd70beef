using System;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>
/// The precision contract of <see cref="SpdSolver"/>: mixed precision reaches a double-level backward error
/// on well-conditioned systems, falls back (and says so) on systems float cannot factor or refine, and the
/// double path leaves A untouched. Laplace kernel matrices plus reg I, the RFM system, on every tier.
/// </summary>
public sealed class SpdSolverTests
{
    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    /// <summary>A Laplace kernel matrix of n random points in d dimensions plus reg I, in double.</summary>
    static double[,] KernelSystem(int n, int d, double reg, int seed, double spread = 1)
    {
        var rng = new Random(seed);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
                x[i, k] = rng.NextDouble() * spread;
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += (x[i, k] - x[j, k]) * (x[i, k] - x[j, k]);
                a[i, j] = Math.Exp(-Math.Sqrt(s) / 2);
            }
            a[i, i] += reg;
        }
        return a;
    }

    static double RelativeResidual(double[,] a, double[,] b, MatrixView<double> x)
    {
        double worst = 0;
        for (int q = 0; q < b.GetLength(1); q++)
        {
            var (r, bn, _) = ColumnResidual(a, b, x, q);
            worst = Math.Max(worst, r / bn);
        }
        return worst;
    }

    /// <summary>Column <paramref name="q"/>'s ||b - A x||_inf, ||b||_inf and ||x||_inf, in double.</summary>
    static (double Residual, double BNorm, double XNorm) ColumnResidual(double[,] a, double[,] b, MatrixView<double> x, int q)
    {
        int n = a.GetLength(0);
        double r = 0, bn = 0, xn = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
                s += a[i, j] * x[j, q];
            r = Math.Max(r, Math.Abs(s - b[i, q]));
            bn = Math.Max(bn, Math.Abs(b[i, q]));
            xn = Math.Max(xn, Math.Abs(x[i, q]));
        }
        return (r, bn, xn);
    }

    [Theory, MemberData(nameof(Legs))]
    public void Mixed_precision_reaches_a_double_level_residual(IsaTier tier, int workers)
    {
        foreach (int c in new[] { 1, 3 })
        {
            const int n = 150;
            var a0 = KernelSystem(n, 5, 1e-2, 10 + c);
            var a = CholeskyChecks.Load<float>(a0, Placement.Dense, 0);
            double[,] ar = CholeskyChecks.Rounded(a);
            var b = new TestMatrix<float>(n, c, Placement.Dense, 0).FillUniform(new Random(c));
            double[,] br = CholeskyChecks.Rounded(b);
            var x = new double[n * c];
            var xv = new MatrixView<double>(x, n, c);
            SolveReport report = SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), xv, SolvePrecision.Mixed);
            Assert.Equal(SolvePrecision.Mixed, report.Used);
            Assert.False(report.FellBack);
            Assert.True(report.Refinements >= 1, $"refinements {report.Refinements}");
            double rel = RelativeResidual(ar, br, xv);
            Assert.True(rel < 1e-11, $"relative residual {rel:E3} (report {report})");
            // The strict upper triangle still holds A.
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    Assert.Equal((float)a0[i, j], a.At(i, j));
        }
    }

    /// <summary>max over columns of ||b - A x||_inf / (||A||_inf ||x||_inf + ||b||_inf), all in double.</summary>
    static double BackwardError(double[,] a, double[,] b, MatrixView<double> x)
    {
        int n = a.GetLength(0), c = b.GetLength(1);
        double aNorm = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++)
                row += Math.Abs(a[i, j]);
            aNorm = Math.Max(aNorm, row);
        }
        double worst = 0;
        for (int q = 0; q < c; q++)
        {
            var (r, bn, xn) = ColumnResidual(a, b, x, q);
            worst = Math.Max(worst, r / (aNorm * xn + bn));
        }
        return worst;
    }

    /// <summary>reg 1e-9 on a Laplace kernel of nearly coincident points (condition near 1e10): float cannot
    /// factor it, and the classical refinement of a shifted factor would not converge.</summary>
    static double[,] FloatHopelessSystem() => KernelSystem(120, 1, 1e-9, 4, 1e-3);

    [Theory, MemberData(nameof(Legs))]
    public void Mixed_precision_reaches_double_accuracy_where_float_cannot_factor_or_classical_refinement_stalls(IsaTier tier, int workers)
    {
        const int n = 120;
        var a0 = FloatHopelessSystem();
        var a = CholeskyChecks.Load<float>(a0, Placement.Dense, 0);
        double[,] ar = CholeskyChecks.Rounded(a);
        // Whether float factors it depends on the tier's rounding; either way the answer must be double-accurate.
        var probe = CholeskyChecks.Load<float>(a0, Placement.Dense, 0);
        bool floatFails = false;
        try
        {
            Cholesky.Factor(tier, workers, probe.View());
        }
        catch (NotPositiveDefiniteException)
        {
            floatFails = true;
        }
        var b = new TestMatrix<float>(n, 2, Placement.Dense, 0).FillUniform(new Random(9));
        var x = new double[n * 2];
        var xv = new MatrixView<double>(x, n, 2);
        SolveReport report = SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), xv, SolvePrecision.Mixed);
        Assert.False(report.FellBack, $"no fallback expected: {report}");
        Assert.Equal(SolvePrecision.Mixed, report.Used);
        if (floatFails)
            Assert.Contains("could not factor", report.Reason, StringComparison.Ordinal);
        else
            Assert.Null(report.Reason);
        Assert.InRange(report.Refinements, 2, SpdSolver.MaxRefinements);
        // A double-level answer: the backward error of a double Cholesky solve, on the float-rounded system.
        double be = BackwardError(ar, CholeskyChecks.Rounded(b), xv);
        Assert.True(be < 1e-14, $"backward error {be:E3} ({report})");
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                Assert.Equal((float)a0[i, j], a.At(i, j));
    }

    [Theory, MemberData(nameof(Legs))]
    public void Mixed_precision_falls_back_to_double_when_the_refinement_does_not_converge_and_says_so(IsaTier tier, int workers)
    {
        const int n = 120;
        var a = CholeskyChecks.Load<float>(FloatHopelessSystem(), Placement.Dense, 0);
        double[,] ar = CholeskyChecks.Rounded(a);
        var b = new TestMatrix<float>(n, 2, Placement.Dense, 0).FillUniform(new Random(9));
        var x = new double[n * 2];
        var xv = new MatrixView<double>(x, n, 2);
        // Two steps cannot reach double accuracy on a system of condition 1e10.
        SolveReport report = SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), xv, SolvePrecision.Mixed, maxRefinements: 2);
        Assert.True(report.FellBack, $"expected a fallback: {report}");
        Assert.Equal(SolvePrecision.Float64, report.Used);
        Assert.Contains("did not converge in 2 steps", report.Reason, StringComparison.Ordinal);
        double be = BackwardError(ar, CholeskyChecks.Rounded(b), xv);
        Assert.True(be < 1e-14, $"backward error {be:E3}");
    }

    [Theory, MemberData(nameof(Legs))]
    public void An_indefinite_matrix_throws_and_is_left_as_it_was(IsaTier tier, int workers)
    {
        const int n = 40;
        var a0 = KernelSystem(n, 3, 1e-2, 5);
        a0[n / 2, n / 2] = -1; // a negative diagonal entry: indefinite in any precision
        foreach (SolvePrecision p in new[] { SolvePrecision.Mixed, SolvePrecision.Float64, SolvePrecision.Float32 })
        {
            var a = CholeskyChecks.Load<float>(a0, new Placement(1, 2, 1, 1, 3), -3f);
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    a.At(i, j) = a.At(j, i); // both triangles, so that "as it was" is all of A
            float[] before = a.Snapshot();
            var b = new TestMatrix<float>(n, 1, Placement.Dense, 0).FillUniform(new Random(3));
            var x = new double[n];
            Assert.Throws<NotPositiveDefiniteException>(() => SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), new MatrixView<double>(x, n, 1), p));
            Verify.Unchanged(before, a.Data, _ => false, $"A after a failed {p} solve");
        }
    }

    [Theory, MemberData(nameof(Legs))]
    public void Float64_leaves_A_untouched_and_Float32_is_float_accurate(IsaTier tier, int workers)
    {
        const int n = 90;
        var a0 = KernelSystem(n, 4, 1e-1, 21);
        var a = CholeskyChecks.Load<float>(a0, new Placement(1, 2, 1, 1, 3), -3f);
        float[] before = a.Snapshot();
        var b = new TestMatrix<float>(n, 1, Placement.Dense, 0).FillUniform(new Random(2));
        var x = new double[n];
        var xv = new MatrixView<double>(x, n, 1);
        SolveReport r64 = SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), xv, SolvePrecision.Float64);
        Assert.Equal(SolvePrecision.Float64, r64.Used);
        Verify.Unchanged(before, a.Data, _ => false, "A after a Float64 solve");
        double[,] ar = CholeskyChecks.Rounded(a);
        Assert.True(RelativeResidual(ar, CholeskyChecks.Rounded(b), xv) < 1e-12);

        SolveReport r32 = SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), xv, SolvePrecision.Float32);
        Assert.Equal(SolvePrecision.Float32, r32.Used);
        double rel = RelativeResidual(ar, CholeskyChecks.Rounded(b), xv);
        Assert.True(rel < 1e-4, $"float solve residual {rel:E3}");
    }

    [Fact]
    public void Shapes_are_checked()
    {
        var a = new float[16];
        Assert.Throws<ArgumentException>(() => SpdSolver.Solve(new MatrixView<float>(a, 4, 4), new ReadOnlyMatrixView<float>(new float[6], 3, 2), new MatrixView<double>(new double[8], 4, 2)));
        Assert.Throws<ArgumentException>(() => SpdSolver.Solve(new MatrixView<float>(a, 4, 4), new ReadOnlyMatrixView<float>(new float[8], 4, 2), new MatrixView<double>(new double[8], 2, 4)));
        Assert.Throws<ArgumentException>(() => SpdSolver.Solve(new MatrixView<float>(a, 4, 4), new ReadOnlyMatrixView<float>(a, 4, 2), new MatrixView<double>(new double[8], 4, 2)));
    }

    [Theory, MemberData(nameof(Legs))]
    public void Only_the_lower_triangle_defines_A(IsaTier tier, int workers)
    {
        const int n = 70;
        var a0 = KernelSystem(n, 3, 1e-2, 31);
        foreach (SolvePrecision p in new[] { SolvePrecision.Mixed, SolvePrecision.Float64, SolvePrecision.Float32 })
        {
            var a = CholeskyChecks.Load<float>(a0, Placement.Dense, 0);
            double[,] ar = CholeskyChecks.Rounded(a);
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    a.At(i, j) = float.NaN; // garbage above the diagonal must not matter
            var b = new TestMatrix<float>(n, 1, Placement.Dense, 0).FillUniform(new Random(4));
            var x = new double[n];
            var xv = new MatrixView<double>(x, n, 1);
            SpdSolver.Solve(tier, workers, a.View(), b.ReadOnly(), xv, p);
            double rel = RelativeResidual(ar, CholeskyChecks.Rounded(b), xv);
            Assert.True(rel < (p == SolvePrecision.Float32 ? 1e-4 : 1e-11), $"{p}: relative residual {rel:E3}");
        }
    }
}
