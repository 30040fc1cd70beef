using System;
using System.Collections.Concurrent;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>
/// The symmetric eigensolver on every accelerated tier, 1 and 2 workers, float and double: random symmetric
/// matrices of orders 0 to 120 from several families (uniform, repeated and clustered eigenvalues,
/// rank-deficient PSD, diagonal, Wilkinson, zero), huge and tiny scales, sub-views with leading dimensions
/// above d, NaN in the strict upper triangle (never read). Decompose is checked by its residual and
/// orthogonality (c d eps), against the Jacobi method, and against Values and Top; Power by reproducing A.
/// </summary>
public sealed class EigenProperties
{
    const int Cases = 14;

    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    public static TheoryData<IsaTier> AllTiers
    {
        get
        {
            var data = new TheoryData<IsaTier>();
            foreach (IsaTier tier in Isa.AcceleratedTiers)
                data.Add(tier);
            return data;
        }
    }

    static Gen<int> Order => Gen.Frequency(
        (3, Gen.Choose(0, 12)),
        (4, Gen.Choose(13, 40)),
        (1, Gen.Choose(41, 120)));

    static Gen<Placement> Place => Gen.Frequency(
        (2, Gen.Constant(Placement.Dense)),
        (1, from r0 in Gen.Choose(0, 2) from c0 in Gen.Choose(0, 3) from pad in Gen.Choose(0, 5)
            select new Placement(r0, c0, 1, 1, pad)));

    static Gen<double> Scale(bool isFloat) => Gen.Frequency(
        (5, Gen.Constant(1.0)),
        (2, isFloat ? Gen.Elements(1e-30, 1e-8, 1e8, 1e30) : Gen.Elements(1e-300, 1e-150, 1e150, 1e300)));

    static Arbitrary<EigenCase> DecomposeCases(bool isFloat) => Arb.From(
        from n in Order
        from kind in Gen.Frequency(
            (4, Gen.Constant(EigenKind.Uniform)),
            (2, Gen.Elements(EigenKind.Repeated, EigenKind.LowRankPsd, EigenKind.Clustered)),
            (1, Gen.Elements(EigenKind.Diagonal, EigenKind.Wilkinson, EigenKind.FullPsd, EigenKind.Zero)))
        from scale in Scale(isFloat)
        from pa in Place
        from pv in Place
        from upperNaN in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        select new EigenCase(n, kind, scale, pa, pv, upperNaN, seed));

    static Arbitrary<EigenCase> PowerCases(bool isFloat) => Arb.From(
        from n in Gen.Frequency((3, Gen.Choose(0, 12)), (3, Gen.Choose(13, 60)))
        from kind in Gen.Elements(EigenKind.LowRankPsd, EigenKind.FullPsd, EigenKind.Clustered, EigenKind.Zero)
        from scale in Gen.Frequency((4, Gen.Constant(1.0)), (1, isFloat ? Gen.Elements(1e-15, 1e15) : Gen.Elements(1e-100, 1e100)))
        from pa in Place
        from pv in Place
        from upperNaN in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        select new EigenCase(n, kind, scale, pa, pv, upperNaN, seed));

    [Theory, MemberData(nameof(Legs))]
    public void Decompose_double(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eigh-double-{tier}-{workers}", DecomposeCases(false), c => EigenChecks.Decompose<double>(c, tier, workers), Cases);

    [Theory, MemberData(nameof(Legs))]
    public void Decompose_float(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eigh-float-{tier}-{workers}", DecomposeCases(true), c => EigenChecks.Decompose<float>(c, tier, workers), Cases);

    [Theory, MemberData(nameof(Legs))]
    public void Power_double(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eig-power-double-{tier}-{workers}", PowerCases(false), c => EigenChecks.Power<double>(c, tier, workers), Cases / 2);

    [Theory, MemberData(nameof(Legs))]
    public void Power_float(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eig-power-float-{tier}-{workers}", PowerCases(true), c => EigenChecks.Power<float>(c, tier, workers), Cases / 2);

    /// <summary>Every order from 0 to 40, each family in turn, both element types.</summary>
    [Theory, MemberData(nameof(AllTiers))]
    public void Every_order_up_to_40(IsaTier tier)
    {
        var kinds = Enum.GetValues<EigenKind>();
        for (int n = 0; n <= 40; n++)
        {
            var c = new EigenCase(n, kinds[n % kinds.Length], 1, Placement.Dense, new Placement(0, 1, 0, 0, 1), n % 2 == 0, n);
            EigenChecks.Decompose<double>(c, tier, 1);
            EigenChecks.Decompose<float>(c, tier, 2);
        }
    }

    /// <summary>Orders past the internal thresholds: blocked formation of Q (more than 102 reflectors), several
    /// rotation batches (more than 16384 rotations), the parallel reduction (trailing order 320 and above).</summary>
    [Theory, MemberData(nameof(AllTiers))]
    public void Large_orders(IsaTier tier)
    {
        foreach (int n in new[] { 130, 200, 400 })
        {
            var (c, seen, reference) = LargeCase(n);
            foreach (int workers in new[] { 1, 2 })
            {
                if (n == 400 && workers == 1 && tier != IsaTier.V512)
                    continue;
                var a = EigenChecks.Load<double>(seen, Placement.Dense, false);
                var w = new double[n];
                var v = new TestMatrix<double>(n, n, Placement.Dense, 0);
                SymmetricEigen.Decompose(tier, workers, a.ReadOnly(), w, v.View());
                string ctx = $"{c} on {tier}/{workers}";
                EigenChecks.CheckPairs(seen, w, EigenChecks.ToDouble(v), ascending: true, NaiveBlas.MachineEpsilon<double>(), ctx);
                if (reference != null)
                    EigenChecks.CheckAgainstReference(seen, w, reference, NaiveBlas.MachineEpsilon<double>(), ctx);
            }
        }
    }

    /// <summary>Order 800 on two workers, where the reduction's fused pass runs in parallel (trailing order 768
    /// and up): bit-identical on a second run, against the values on one worker, and randomized residual and
    /// orthogonality checks (||A V t - V W t|| and ||V^T V t - t|| for a random t, O(d^2) each).</summary>
    [Theory]
    [InlineData(IsaTier.V512)]
    [InlineData(IsaTier.V256)]
    public void Parallel_reduction_at_order_800(IsaTier tier)
    {
        if (!Isa.AcceleratedTiers.Contains(tier))
            return;
        const int n = 800;
        var rng = new Random(800);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = rng.NextDouble() * 2 - 1;
        var view = new ReadOnlyMatrixView<double>(a, n, n);
        var w1 = new double[n];
        var w2 = new double[n];
        var v = new double[n * n];
        SymmetricEigen.Values(tier, 1, view, w1);
        SymmetricEigen.Decompose(tier, 2, view, w2, new MatrixView<double>(v, n, n));
        // Deterministic for a fixed tier and worker count, however the work was scheduled.
        var again = new double[n];
        var vAgain = new double[n * n];
        SymmetricEigen.Decompose(tier, 2, view, again, new MatrixView<double>(vAgain, n, n));
        Assert.True(w2.AsSpan().SequenceEqual(again) && v.AsSpan().SequenceEqual(vAgain), "two runs on two workers differ");
        double norm = 0;
        foreach (double x in a)
            norm += x * x;
        norm = Math.Sqrt(norm);
        double eps = NaiveBlas.MachineEpsilon<double>(), bound = EigenChecks.C * n * eps;
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(w1[i] - w2[i]) <= bound * norm, $"eigenvalue {i}: {w1[i]} on one worker, {w2[i]} on two");
        double[] t = Verify.RandomVector(rng, n);
        var vt = new double[n];
        var wvt = new double[n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < n; c++)
            {
                vt[i] += v[i * n + c] * t[c];
                wvt[i] += v[i * n + c] * w2[c] * t[c];
            }
        double tn = Math.Sqrt(t.Sum(x => x * x)), res = 0, orth = 0;
        for (int i = 0; i < n; i++)
        {
            double avt = 0;
            for (int p = 0; p < n; p++)
                avt += a[i * n + p] * vt[p];
            res += (avt - wvt[i]) * (avt - wvt[i]);
        }
        for (int c = 0; c < n; c++)
        {
            double s = 0;
            for (int p = 0; p < n; p++)
                s += v[p * n + c] * vt[p];
            orth += (s - t[c]) * (s - t[c]);
        }
        Assert.True(Math.Sqrt(res) <= bound * norm * tn, $"||A V t - V W t|| = {Math.Sqrt(res):E3}");
        Assert.True(Math.Sqrt(orth) <= bound * tn, $"||V^T V t - t|| = {Math.Sqrt(orth):E3}");

        // Top(3) on two workers: the inverse-iteration path against the values above.
        var top = new double[3];
        var u = new double[n * 3];
        SymmetricEigen.Top(tier, 2, view, 3, top, new MatrixView<double>(u, n, 3));
        for (int c = 0; c < 3; c++)
        {
            Assert.True(Math.Abs(top[c] - w1[n - 1 - c]) <= bound * norm, $"Top value {c}: {top[c]} vs {w1[n - 1 - c]}");
            double r = 0;
            for (int i = 0; i < n; i++)
            {
                double s = -top[c] * u[i * 3 + c];
                for (int p = 0; p < n; p++)
                    s += a[i * n + p] * u[p * 3 + c];
                r += s * s;
            }
            Assert.True(Math.Sqrt(r) <= bound * norm, $"Top vector {c}: residual {Math.Sqrt(r):E3}");
        }
    }

    static readonly ConcurrentDictionary<int, (EigenCase, double[,], double[]?)> s_large = new();

    /// <summary>The matrix of order n for <see cref="Large_orders"/> and its Jacobi eigenvalues (up to order
    /// 200), built once for all tiers.</summary>
    static (EigenCase Case, double[,] A, double[]? Reference) LargeCase(int n) => s_large.GetOrAdd(n, key =>
    {
        var c = new EigenCase(key, key == 200 ? EigenKind.Repeated : EigenKind.Uniform, 1, Placement.Dense, Placement.Dense, false, key);
        double[,] a = EigenChecks.Build(c);
        return (c, a, key <= 200 ? NaiveEigen.Jacobi(a) : null);
    });

    static Arbitrary<(EigenCase Case, int K)> TopCases(bool isFloat) => Arb.From(
        from n in Gen.Frequency((3, Gen.Choose(32, 70)), (1, Gen.Choose(71, 160)))
        from kind in Gen.Elements(Enum.GetValues<EigenKind>())
        from scale in Scale(isFloat)
        from pa in Place
        from pv in Place
        from upperNaN in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        from k in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, Math.Max(2, n / 16))), (1, Gen.Choose(1, n)))
        select (new EigenCase(n, kind, scale, pa, pv, upperNaN, seed), k));

    [Theory, MemberData(nameof(Legs))]
    public void Top_double(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eig-top-double-{tier}-{workers}", TopCases(false), c => EigenChecks.Top<double>(c.Case, c.K, tier, workers), Cases / 2);

    [Theory, MemberData(nameof(Legs))]
    public void Top_float(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eig-top-float-{tier}-{workers}", TopCases(true), c => EigenChecks.Top<float>(c.Case, c.K, tier, workers), Cases / 2);

    /// <summary>The rotation batches (scaled rotations, the full path for small |c|, two-sweep pairs over unequal
    /// ranges, rescaling, several flushes) match plain Givens rotations.</summary>
    [Theory, MemberData(nameof(Legs))]
    public void Rotation_batches_match_plain_rotations(IsaTier tier, int workers) =>
        PropertyRunner.Check($"eig-rotations-{tier}-{workers}",
            Arb.From(from n in Gen.Choose(2, 70) from sweeps in Gen.Choose(1, 260) from seed in Gen.Choose(0, int.MaxValue)
                     select (n, sweeps, seed)),
            c => EigenChecks.Rotations(c.n, c.sweeps, c.seed, tier, workers), Cases);

    /// <summary>A clearly negative eigenvalue makes Power throw (result untouched); a rounding-size one is
    /// clamped to 0.</summary>
    [Fact]
    public void Power_rejects_indefinite_and_clamps_rounding_negatives()
    {
        const int n = 12;
        var rng = new Random(5);
        var lambda = new double[n];
        for (int i = 0; i < n; i++)
            lambda[i] = i + 1;
        lambda[3] = -1e-3;
        var bad = EigenChecks.Load<double>(NaiveEigen.WithSpectrum(lambda, rng), Placement.Dense, false);
        var result = new TestMatrix<double>(n, n, Placement.Dense, 7.0);
        double[] before = result.Snapshot();
        var e = Assert.Throws<ArgumentException>(() => SymmetricEigen.Power(bad.ReadOnly(), 0.5, result.View()));
        Assert.Equal("a", e.ParamName);
        Verify.Unchanged(before, result.Data, _ => false, "the result after a rejected Power");

        lambda[3] = -1e-13; // 1e-13 / 12 is far below sqrt(eps): rounding, clamped
        var near = EigenChecks.Load<double>(NaiveEigen.WithSpectrum(lambda, rng), Placement.Dense, false);
        SymmetricEigen.Power(near.ReadOnly(), 1.0, result.View());
        double[,] p1 = EigenChecks.ToDouble(result);
        var w = new double[n];
        SymmetricEigen.Values(new ReadOnlyMatrixView<double>(result.Data, n, n), w);
        Assert.True(Math.Abs(w[0]) < 1e-12, $"the clamped eigenvalue is {w[0]}");
        Assert.True(Math.Abs(p1[0, 0] - EigenChecks.Seen(near)[0, 0]) < 1e-11);

        var fbad = EigenChecks.Load<float>(NaiveEigen.WithSpectrum([1, 2, -0.5, 3], rng), Placement.Dense, false);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Power(fbad.ReadOnly(), 0.5f, new MatrixView<float>(new float[16], 4, 4)));
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_any_work()
    {
        var a = new double[16];
        var w = new double[4];
        var v = new double[16];
        AssertArg("a", () => SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(a, 3, 4), new double[3], new MatrixView<double>(v, 3, 3)));
        AssertArg("eigenvalues", () => SymmetricEigen.Decompose(Sq(a), new double[3], new MatrixView<double>(v, 4, 4)));
        AssertArg("eigenvectors", () => SymmetricEigen.Decompose(Sq(a), w, new MatrixView<double>(v, 4, 3)));
        AssertArg("eigenvalues", () => SymmetricEigen.Values(Sq(a), new double[5]));
        AssertArg("result", () => SymmetricEigen.Power(Sq(a), 0.5, new MatrixView<double>(v, 3, 3)));
        AssertArg("eigenvectors", () => SymmetricEigen.Top(Sq(a), 2, new double[2], new MatrixView<double>(v, 4, 3)));
        AssertArg("eigenvalues", () => SymmetricEigen.Top(Sq(a), 2, new double[3], new MatrixView<double>(v, 4, 2)));
        Assert.Throws<ArgumentOutOfRangeException>("k", () => SymmetricEigen.Top(Sq(a), 5, new double[5], new MatrixView<double>(new double[20], 4, 5)));
        Assert.Throws<ArgumentOutOfRangeException>("k", () => SymmetricEigen.Top(Sq(a), -1, Span<double>.Empty, new MatrixView<double>(v, 4, 0)));
        foreach (double p in new[] { -0.5, double.NaN, double.PositiveInfinity })
            Assert.Throws<ArgumentOutOfRangeException>("p", () => SymmetricEigen.Power(Sq(a), p, new MatrixView<double>(v, 4, 4)));

        // NaN or infinity in the lower triangle is rejected, naming a; in the strict upper triangle it is ignored.
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var m = new double[16];
            m[2 * 4 + 1] = bad;
            AssertArg("a", () => SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(m, 4, 4), w, new MatrixView<double>(v, 4, 4)));
            AssertArg("a", () => SymmetricEigen.Values(new ReadOnlyMatrixView<double>(m, 4, 4), w));
            AssertArg("a", () => SymmetricEigen.Power(new ReadOnlyMatrixView<double>(m, 4, 4), 1.0, new MatrixView<double>(v, 4, 4)));
            var f = new float[16];
            f[3 * 4 + 3] = (float)bad;
            AssertArg("a", () => SymmetricEigen.Top(new ReadOnlyMatrixView<float>(f, 4, 4), 1, new float[1], new MatrixView<float>(new float[4], 4, 1)));
            m[2 * 4 + 1] = 0;
            m[1 * 4 + 2] = bad;
            SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(m, 4, 4), w, new MatrixView<double>(v, 4, 4));
        }

        // Outputs overlapping the input or each other.
        var big = new double[40];
        AssertArg("a", () => SymmetricEigen.Decompose(Sq(big), w, new MatrixView<double>(big.AsSpan(8), 4, 4)));
        AssertArg("a", () => SymmetricEigen.Values(Sq(big), big.AsSpan(12, 4)));
        AssertArg("a", () => SymmetricEigen.Power(Sq(big), 1.0, new MatrixView<double>(big.AsSpan(15), 4, 4)));
        AssertArg("eigenvalues", () => SymmetricEigen.Decompose(Sq(a), big.AsSpan(0, 4), new MatrixView<double>(big.AsSpan(2), 4, 4)));
    }

    [Fact]
    public void Empty_and_trivial_inputs()
    {
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(Array.Empty<double>(), 0, 0), Span<double>.Empty, new MatrixView<double>(Array.Empty<double>(), 0, 0));
        SymmetricEigen.Values(new ReadOnlyMatrixView<float>(Array.Empty<float>(), 0, 0), Span<float>.Empty);
        SymmetricEigen.Power(new ReadOnlyMatrixView<double>(Array.Empty<double>(), 0, 0), 0.5, new MatrixView<double>(Array.Empty<double>(), 0, 0));
        SymmetricEigen.Top(new ReadOnlyMatrixView<double>(Array.Empty<double>(), 0, 0), 0, Span<double>.Empty, new MatrixView<double>(Array.Empty<double>(), 0, 0));

        var w = new float[1];
        var v = new float[1];
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<float>(new[] { -3f }, 1, 1), w, new MatrixView<float>(v, 1, 1));
        Assert.Equal(-3f, w[0]);
        Assert.Equal(1f, Math.Abs(v[0]));
        var r = new double[1];
        SymmetricEigen.Power(new ReadOnlyMatrixView<double>(new[] { 9.0 }, 1, 1), 0.5, new MatrixView<double>(r, 1, 1));
        Assert.Equal(3.0, r[0], 15);
    }

    [Fact]
    public void Steady_state_calls_allocate_no_managed_memory()
    {
        const int n = 150;
        var a = EigenChecks.Load<double>(NaiveCholesky.RandomSymmetric(n, n, 0.1, new Random(2)), Placement.Dense, false);
        var w = new double[n];
        var v = new double[n * n];
        var f = new float[n * n];
        var fw = new float[n];
        for (int i = 0; i < n * n; i++)
            f[i] = (float)a.Data[i];
        void Run()
        {
            SymmetricEigen.Decompose(a.ReadOnly(), w, new MatrixView<double>(v, n, n));
            SymmetricEigen.Values(a.ReadOnly(), w);
            SymmetricEigen.Top(a.ReadOnly(), 3, w.AsSpan(0, 3), new MatrixView<double>(v, n, 3));
            SymmetricEigen.Power(a.ReadOnly(), 0.5, new MatrixView<double>(v, n, n));
            SymmetricEigen.Power(new ReadOnlyMatrixView<float>(f, n, n), 0.5f, new MatrixView<float>(new float[n * n], n, n));
            SymmetricEigen.Decompose(new ReadOnlyMatrixView<float>(f, n, n), fw, new MatrixView<float>(new float[n * n], n, n));
        }
        Run();
        var vf = new float[n * n];
        long before = GC.GetAllocatedBytesForCurrentThread();
        SymmetricEigen.Decompose(a.ReadOnly(), w, new MatrixView<double>(v, n, n));
        SymmetricEigen.Values(a.ReadOnly(), w);
        SymmetricEigen.Top(a.ReadOnly(), 3, w.AsSpan(0, 3), new MatrixView<double>(v, n, 3));
        SymmetricEigen.Power(a.ReadOnly(), 0.5, new MatrixView<double>(v, n, n));
        SymmetricEigen.Power(new ReadOnlyMatrixView<float>(f, n, n), 0.5f, new MatrixView<float>(vf, n, n));
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<float>(f, n, n), fw, new MatrixView<float>(vf, n, n));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    static ReadOnlyMatrixView<double> Sq(double[] data) => new(data, 4, 4);

    static void AssertArg(string param, Action act)
    {
        var e = Assert.ThrowsAny<ArgumentException>(act);
        Assert.Equal(param, e.ParamName);
    }
}
