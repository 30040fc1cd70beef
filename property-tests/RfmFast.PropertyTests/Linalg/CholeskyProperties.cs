using System;
using FsCheck;
using FsCheck.Fluent;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>
/// Cholesky factorization, solves and log-determinant on every accelerated tier, 1 and 2 workers: random
/// SPD matrices with orders 0, 1, around the recursion's block sizes (16, 32, 64 and their neighbours) and
/// up to 200, sub-views with leading dimensions above n, 1 to 12 right-hand sides; plus the failure
/// contract (pivot reported, matrix restored) and the jitter helper.
/// </summary>
public sealed class CholeskyProperties
{
    const int Cases = 30;

    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    static Gen<int> Order => Gen.Frequency(
        (2, Gen.Elements(0, 1, 2)),
        (4, Gen.Elements(15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129)),
        (4, Gen.Choose(3, 100)),
        (1, Gen.Choose(150, 200)),
        // Panels of at least 256 rows: the triangular solve inside the factorization inverts its 64..128-wide
        // diagonal blocks and runs a GEMM (TrsmRightInverse) instead of substituting.
        (1, Gen.Choose(520, 600)));

    static Gen<Placement> Place => Gen.Frequency(
        (2, Gen.Constant(Placement.Dense)),
        (1, from r0 in Gen.Choose(0, 2) from c0 in Gen.Choose(0, 3) from pad in Gen.Choose(0, 5)
            select new Placement(r0, c0, 1, 1, pad)));

    static Arbitrary<CholeskyCase> CholeskyCases { get; } = Arb.From(
        from n in Order
        from c in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 12)))
        from pa in Place
        from pb in Place
        from seed in Gen.Choose(0, int.MaxValue)
        select new CholeskyCase(n, c, pa, pb, seed));

    [Theory, MemberData(nameof(Legs))]
    public void Factor_and_solve_float(IsaTier tier, int workers) =>
        PropertyRunner.Check($"potrf-float-{tier}-{workers}", CholeskyCases, c => CholeskyChecks.FactorAndSolve<float>(c, tier, workers), Cases);

    [Theory, MemberData(nameof(Legs))]
    public void Factor_and_solve_double(IsaTier tier, int workers) =>
        PropertyRunner.Check($"potrf-double-{tier}-{workers}", CholeskyCases, c => CholeskyChecks.FactorAndSolve<double>(c, tier, workers), Cases);

    [Theory, MemberData(nameof(Legs))]
    public void A_failing_pivot_is_reported_and_the_matrix_restored(IsaTier tier, int workers)
    {
        foreach (int n in new[] { 1, 5, 64, 65, 130 })
        {
            foreach (int pivot in new[] { 0, n / 2, n - 1 })
            {
                var rng = new Random(n * 1000 + pivot);
                var a0 = NaiveCholesky.RandomSymmetric(n, n, 0.5, rng);
                a0[pivot, pivot] = -1e3; // the leading pivot x pivot block stays positive definite
                var a = CholeskyChecks.Load<float>(a0, new Placement(1, 1, 1, 1, 2), -5f);
                float[] before = a.Snapshot();
                var e = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Factor(tier, workers, a.View()));
                Assert.Equal(pivot, e.Pivot);
                Assert.Equal(pivot + 1, e.Info);
                Verify.Unchanged(before, a.Data, _ => false, $"the matrix after a failed factorization (n {n}, pivot {pivot})");
            }
        }
    }

    [Theory, MemberData(nameof(Legs))]
    public void Jitter_makes_a_slightly_indefinite_matrix_factor_and_reports_what_it_added(IsaTier tier, int workers)
    {
        const int n = 90;
        var rng = new Random(3);
        // Rank 20, shifted down by 1e-4: the smallest eigenvalues are -1e-4, mean diagonal about 1/3.
        var a0 = NaiveCholesky.RandomSymmetric(n, 20, -1e-4, rng);
        var a = CholeskyChecks.Load<double>(a0, Placement.Dense, 0);
        Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Factor(tier, workers, a.View()));
        double jitter = Cholesky.FactorWithJitter(tier, workers, a.View(), 1e-7, 8);
        Assert.True(jitter > 1e-4, $"jitter {jitter}");
        Assert.True(jitter < 1e-1, $"jitter {jitter}");
        // L L^T reproduces A + jitter I.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = 0; p <= j; p++)
                    s += a.At(i, p) * a.At(j, p);
                double want = a0[i, j] + (i == j ? jitter : 0);
                Assert.True(Math.Abs(s - want) < 1e-10, $"({i},{j}): {s} vs {want}");
            }
        }
        // Hopeless: a clearly negative definite matrix fails even with jitter, and comes back unchanged.
        var neg = CholeskyChecks.Load<double>(NaiveCholesky.RandomSymmetric(10, 10, -100, rng), Placement.Dense, 0);
        double[] before = neg.Snapshot();
        Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.FactorWithJitter(tier, workers, neg.View(), 1e-7, 3));
        Verify.Unchanged(before, neg.Data, _ => false, "a matrix after a failed jitter sequence");
    }

    [Theory, MemberData(nameof(Legs))]
    public void Triangular_solves_match_substitution_in_double(IsaTier tier, int workers)
    {
        var rng = new Random(11);
        foreach (int n in new[] { 1, 7, 33, 70, 129 })
        {
            foreach (int c in new[] { 1, 5 })
            {
                var a0 = NaiveCholesky.RandomSymmetric(n, n, 1.0, rng);
                var l = NaiveCholesky.Factor(a0)!;
                var lm = CholeskyChecks.Load<double>(l, Placement.Dense, 0);
                foreach (bool trans in new[] { false, true })
                {
                    var b = new TestMatrix<double>(n, c, Placement.Dense, 0).FillUniform(rng);
                    double[,] b0 = CholeskyChecks.Rounded(b);
                    Cholesky.SolveTriangular(tier, workers, lm.ReadOnly(), trans ? Transpose.Yes : Transpose.No, b.View());
                    for (int col = 0; col < c; col++)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            double s = 0;
                            for (int p = 0; p < n; p++)
                                s += (trans ? l[p, i] : l[i, p]) * b.At(p, col);
                            Assert.True(Math.Abs(s - b0[i, col]) <= 1e-11 * (1 + Math.Abs(b0[i, col])) * n,
                                $"n {n} c {c} trans {trans}: row {i} gives {s}, want {b0[i, col]}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Bad_shapes_are_rejected()
    {
        var a = new float[12];
        Assert.Throws<ArgumentException>(() => Cholesky.Factor(new MatrixView<float>(a, 3, 4)));
        Assert.Throws<ArgumentException>(() => Cholesky.Solve(new ReadOnlyMatrixView<float>(a, 3, 3), new MatrixView<float>(new float[8], 4, 2)));
        Assert.Throws<ArgumentException>(() => Cholesky.Solve(new ReadOnlyMatrixView<float>(a, 3, 3), new MatrixView<float>(a, 3, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cholesky.FactorWithJitter(new MatrixView<float>(new float[4], 2, 2), 0));
    }
}
