using System;
using System.Globalization;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.Kernels;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Agop;

/// <summary>One AGOP problem: n centers in d dimensions, c outputs, kernel, optional sampled points.</summary>
/// <summary>Metric: 0 identity, 1 a full-rank random PSD matrix, 2 a PSD matrix of rank about d / 3 (what an RFM's M
/// collapses to; the AGOP then runs in the mapped coordinates).</summary>
public sealed record AgopCase(int N, int D, int C, int Kernel, double Bandwidth, bool Sample, bool Center, int Metric, int Seed);

/// <summary>
/// The core's AGOP against <see cref="NaiveAgop"/> (the definition, in double), every accelerated tier,
/// 1 and 2 workers; and the reference's own gradient against central finite differences.
/// </summary>
public sealed class AgopProperties
{
    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    static Arbitrary<AgopCase> Cases { get; } = Arb.From(
        from n in Gen.Frequency((1, Gen.Elements(1, 2)), (6, Gen.Choose(3, 60)))
        from d in Gen.Frequency((1, Gen.Elements(1, 2)), (6, Gen.Choose(3, 20)), (2, Gen.Choose(8, 40)))
        from c in Gen.Choose(1, 3)
        from kernel in Gen.Choose(0, 3)
        from l in Gen.Elements(1.0, 3.0, 10.0)
        from sample in Gen.Elements(false, true)
        from center in Gen.Elements(false, true)
        from metric in Gen.Choose(0, 2)
        from seed in Gen.Choose(0, int.MaxValue)
        select new AgopCase(n, d, c, kernel, l, sample, center, metric, seed));

    static KernelFunction KernelOf(AgopCase c) => c.Kernel switch
    {
        0 => KernelFunction.Laplace(c.Bandwidth),
        1 => KernelFunction.Gaussian(c.Bandwidth),
        2 => KernelFunction.GeneralizedLaplace(c.Bandwidth, 0.7),
        _ => KernelFunction.GeneralizedLaplace(c.Bandwidth, 1.5),
    };

    static void Check<T>(AgopCase c, IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        var x = new TestMatrix<T>(c.N, c.D, Placement.Dense, T.Zero).FillUniform(rng);
        var alpha = new TestMatrix<T>(c.N, c.C, Placement.Dense, T.Zero).FillUniform(rng);
        TestMatrix<T> m;
        if (c.Metric == 0)
        {
            m = new TestMatrix<T>(c.D, c.D, Placement.Dense, T.Zero);
            for (int i = 0; i < c.D; i++)
                m.At(i, i) = T.One;
        }
        else if (c.Metric == 2)
        {
            int k = Math.Max(1, c.D / 3);
            var b = new double[c.D * k];
            for (int i = 0; i < b.Length; i++)
                b[i] = rng.NextDouble() * 2 - 1;
            m = new TestMatrix<T>(c.D, c.D, Placement.Dense, T.Zero);
            for (int i = 0; i < c.D; i++)
                for (int j = 0; j <= i; j++)
                {
                    double s = 0;
                    for (int t = 0; t < k; t++)
                        s += b[i * k + t] * b[j * k + t];
                    m.At(i, j) = m.At(j, i) = T.CreateTruncating(s / k);
                }
        }
        else
        {
            m = KernelChecks.RandomMetric<T>(c.D, rng);
            for (int i = 0; i < c.D; i++)
                m.At(i, i) += T.CreateTruncating(0.2); // keep M well inside the PSD cone
        }
        int[]? idx = null;
        if (c.Sample)
        {
            idx = new int[Math.Max(1, c.N / 2)];
            for (int j = 0; j < idx.Length; j++)
                idx[j] = rng.Next(c.N);
        }
        var g = new TestMatrix<T>(c.D, c.D, Placement.Dense, T.Zero);
        KernelFunction f = KernelOf(c);
        T[] xBefore = x.Snapshot(), aBefore = alpha.Snapshot(), mBefore = m.Snapshot();
        Core.Agop.Compute(tier, workers, f, x.ReadOnly(), alpha.ReadOnly(), m.ReadOnly(), idx ?? ReadOnlySpan<int>.Empty, g.View(), c.Center, default);
        Verify.Unchanged(xBefore, x.Data, _ => false, "centers");
        Verify.Unchanged(aBefore, alpha.Data, _ => false, "coefficients");
        Verify.Unchanged(mBefore, m.Data, _ => false, "metric");

        double q = c.Kernel switch { 0 => 1, 1 => 2, 2 => 0.7, _ => 1.5 };
        double[,] want = NaiveAgop.Agop(c.Kernel, c.Bandwidth, q, x.ToDoubles(), alpha.ToDoubles(), m.ToDoubles(), idx, c.Center);
        double num = 0, den = 0;
        for (int i = 0; i < c.D; i++)
        {
            for (int j = 0; j < c.D; j++)
            {
                double got = double.CreateTruncating(g.At(i, j));
                Assert.True(double.IsFinite(got), $"G({i},{j}) = {got}");
                Assert.Equal(g.At(i, j), g.At(j, i));
                num += Math.Pow(got - want[i, j], 2);
                den += want[i, j] * want[i, j];
            }
        }
        // Float: the distances are formed by expansion, so a pair's r^2 carries a relative error of about
        // kappa = u (|z|_M^2 + |x|_M^2) / r^2, and the weight's r^(q-2) turns that into |q - 2| kappa / 2 (Laplace:
        // 1/r; generalized Laplace q = 0.7: r^-1.3, so a close pair both dominates G and is the least accurate).
        // The bound: 2e-3 plus |q - 2| times the worst pair's kappa. Double leaves only rounding.
        double tol = typeof(T) == typeof(float) ? 2e-3 + Math.Abs(q - 2) * WorstPairConditioning(x.ToDoubles(), m.ToDoubles(), idx, Math.ScaleB(1, -24)) : 1e-8;
        double rel = Math.Sqrt(num) / (Math.Sqrt(den) + 1e-300);
        Assert.True(rel <= tol || Math.Sqrt(num) < 1e-12, string.Create(CultureInfo.InvariantCulture, $"relative Frobenius error {rel:E3} for {c} on {tier}/{workers}"));
    }

    /// <summary>max over pairs (z_j, x_i) with r^2 above the 1e-20 cut of u (|z|^T |M| |z| + |x|^T |M| |x| +
    /// 2 |z|^T |M| |x|) / r^2, in double: the rounding bound of the expanded r^2 = z^T M z + x^T M x - 2 z^T M x
    /// relative to r^2 (absolute values, since a low-rank M can make z^T M x small while its terms are not).</summary>
    static double WorstPairConditioning(double[,] x, double[,] m, int[]? idx, double u)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        double Abs(int a, int b)
        {
            double s = 0;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    s += Math.Abs(x[a, i] * m[i, j] * x[b, j]);
            return s;
        }
        double R2(int a, int b)
        {
            double s = 0;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    s += (x[a, i] - x[b, i]) * m[i, j] * (x[a, j] - x[b, j]);
            return s;
        }
        double worst = 0;
        int points = idx?.Length ?? n;
        for (int jj = 0; jj < points; jj++)
        {
            int j = idx?[jj] ?? jj;
            for (int i = 0; i < n; i++)
            {
                double r2 = R2(j, i);
                if (r2 > 1e-20)
                    worst = Math.Max(worst, u * (Abs(j, j) + Abs(i, i) + 2 * Abs(j, i)) / r2);
            }
        }
        return worst;
    }

    /// <summary>Wide d: outputs go through the GEMM in groups of 512 / d (here one or two per group), so the
    /// strided per-output blocks and the group boundaries are exercised.</summary>
    [Theory, MemberData(nameof(Legs))]
    public void Agop_groups_outputs_for_wide_features(IsaTier tier, int workers)
    {
        foreach (var (d, c) in new[] { (257, 3), (171, 4), (300, 2) })
            foreach (bool center in new[] { false, true })
                foreach (int metric in new[] { 1, 2 }) // full rank, and rank d / 3 (run in the mapped coordinates)
                    Check<double>(new AgopCase(20, d, c, 0, 10.0, false, center, metric, 17 * d + c), tier, workers);
    }

    [Theory, MemberData(nameof(Legs))]
    public void Agop_float_matches_the_definition(IsaTier tier, int workers) =>
        PropertyRunner.Check($"agop-float-{tier}-{workers}", Cases, c => Check<float>(c, tier, workers), 25);

    [Theory, MemberData(nameof(Legs))]
    public void Agop_double_matches_the_definition(IsaTier tier, int workers) =>
        PropertyRunner.Check($"agop-double-{tier}-{workers}", Cases, c => Check<double>(c, tier, workers), 25);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 2.0)]
    [InlineData(2, 0.7)]
    [InlineData(2, 1.5)]
    public void The_reference_gradient_matches_finite_differences(int kernel, double q)
    {
        var rng = new Random(7);
        int n = 25, d = 4, c = 2;
        double l = 2;
        var x = new double[n, d];
        var alpha = new double[n, c];
        var m = new double[d, d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
                x[i, a] = rng.NextDouble() * 2 - 1;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
                alpha[i, k] = rng.NextDouble() * 2 - 1;
        for (int a = 0; a < d; a++)
            m[a, a] = 0.5 + a;
        m[0, 1] = m[1, 0] = 0.3;
        var z = new double[d];
        for (int a = 0; a < d; a++)
            z[a] = rng.NextDouble();
        double[,] g = NaiveAgop.Jacobian(kernel, l, q, x, alpha, m, z, -1);
        const double h = 1e-6;
        for (int a = 0; a < d; a++)
        {
            var zp = (double[])z.Clone();
            var zm = (double[])z.Clone();
            zp[a] += h;
            zm[a] -= h;
            double[] fp = NaiveAgop.Predict(kernel, l, q, x, alpha, m, zp), fm = NaiveAgop.Predict(kernel, l, q, x, alpha, m, zm);
            for (int k = 0; k < c; k++)
                Assert.True(Math.Abs((fp[k] - fm[k]) / (2 * h) - g[k, a]) < 1e-6, $"kernel {kernel} output {k} coordinate {a}");
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var x = new float[12];
        var a = new float[3];
        var m = new float[16];
        var g = new float[16];
        Assert.Throws<ArgumentException>(() => Core.Agop.Compute(KernelFunction.Laplace(1), new ReadOnlyMatrixView<float>(x, 3, 4),
            new ReadOnlyMatrixView<float>(a, 3, 1), new ReadOnlyMatrixView<float>(m, 3, 3), ReadOnlySpan<int>.Empty, new MatrixView<float>(g, 4, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Core.Agop.Compute(KernelFunction.Laplace(1), new ReadOnlyMatrixView<float>(x, 3, 4),
            new ReadOnlyMatrixView<float>(a, 3, 1), new ReadOnlyMatrixView<float>(m, 4, 4), new[] { 0, 3 }, new MatrixView<float>(g, 4, 4)));
        Assert.Throws<ArgumentException>(() => Core.Agop.Compute(KernelFunction.Laplace(1), new ReadOnlyMatrixView<float>(x, 3, 4),
            new ReadOnlyMatrixView<float>(a, 3, 1), new ReadOnlyMatrixView<float>(m, 4, 4), ReadOnlySpan<int>.Empty, new MatrixView<float>(m, 4, 4)));
    }
}
