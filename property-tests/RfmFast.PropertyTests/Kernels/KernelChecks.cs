using System;
using System.Globalization;
using System.Numerics;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Kernels;

/// <summary>Runs one pairwise case through the core and compares it with <see cref="NaiveKernels"/>.</summary>
public static class KernelChecks
{
    public static KernelFunction KernelOf(PairwiseCase c) => c.Kernel switch
    {
        0 => KernelFunction.Laplace(c.Bandwidth),
        1 => KernelFunction.Gaussian(c.Bandwidth),
        2 => KernelFunction.GeneralizedLaplace(c.Bandwidth, 0.5),
        _ => KernelFunction.GeneralizedLaplace(c.Bandwidth, 1.5),
    };

    /// <summary>A symmetric positive semi-definite d x d metric B B^T / d, exactly symmetric in T.</summary>
    public static TestMatrix<T> RandomMetric<T>(int d, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var b = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                b[i, j] = rng.NextDouble() * 2 - 1;
        var m = new TestMatrix<T>(d, d, Placement.Dense, T.Zero);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += b[i, k] * b[j, k];
                T v = T.CreateTruncating(s / Math.Max(d, 1));
                m.At(i, j) = v;
                m.At(j, i) = v;
            }
        }
        return m;
    }

    /// <summary>Distances, then the kernel matrix, of one case on one tier and worker count.</summary>
    public static void Pairwise<T>(PairwiseCase c, IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        T sentinel = T.CreateTruncating(-12345.0);
        var x = new TestMatrix<T>(c.N, c.D, c.PlaceX, T.CreateTruncating(777.0)).FillUniform(rng);
        var z = c.SelfPairs ? x : new TestMatrix<T>(c.M, c.D, c.PlaceZ, T.CreateTruncating(777.0)).FillUniform(rng);
        var metric = c.Metric ? RandomMetric<T>(c.D, rng) : null;
        var xBefore = x.Snapshot();
        var zBefore = z.Snapshot();
        var (want, scale) = NaiveKernels.SquaredDistances(x.Dense, z.Dense, metric?.ToDoubles());
        double gamma = NaiveBlas.Gamma<T>(2 * c.D + 4);
        double slack = NaiveBlas.AbsoluteSlack<T>();
        double eps = NaiveBlas.MachineEpsilon<T>();
        string ctx = string.Create(CultureInfo.InvariantCulture, $"{c} on {tier}/{workers} workers");

        // Squared distances.
        var d2 = new TestMatrix<T>(c.N, c.M, c.PlaceOut, sentinel);
        var outBefore = d2.Snapshot();
        Core.Distances.Squared(tier, workers, x.ReadOnly(), z.ReadOnly(), metric is null ? default : metric.ReadOnly(), metric is not null, d2.View());
        for (int i = 0; i < c.N; i++)
        {
            for (int j = 0; j < c.M; j++)
            {
                double got = double.CreateTruncating(d2.At(i, j));
                double bound = gamma * scale[i, j] + slack;
                if (!(got >= 0) || Math.Abs(got - want[i, j]) > bound)
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"d2({i},{j}) = {got:R}, reference {want[i, j]:R}, bound {bound:E3}: {ctx}"));
                if (c.SelfPairs && i == j && got != 0)
                    Assert.Fail($"d2({i},{i}) = {got:R}: a row's distance to itself must be exactly 0 when X and Z are the same view; {ctx}");
            }
        }
        Verify.Unchanged(outBefore, d2.Data, idx => d2.Contains(idx, out _, out _), "distance output outside the view");

        // Kernel matrix, fused.
        KernelFunction f = KernelOf(c);
        var k = new TestMatrix<T>(c.N, c.M, c.PlaceOut, sentinel);
        outBefore = k.Snapshot();
        KernelMatrix.Compute(tier, workers, f, x.ReadOnly(), z.ReadOnly(), metric is null ? default : metric.ReadOnly(), metric is not null, k.View());
        double l2 = f.Bandwidth * f.Bandwidth;
        for (int i = 0; i < c.N; i++)
        {
            for (int j = 0; j < c.M; j++)
            {
                double got = double.CreateTruncating(k.At(i, j));
                double expected = c.SelfPairs && i == j ? 1.0 : f.Evaluate(want[i, j]);
                // |k(a) - k(b)| <= |a - b|^(q/2) / L^q for these kernels (Hoelder, q <= 2), plus the exp / pow rounding.
                double distanceError = gamma * scale[i, j] + slack;
                double bound = Math.Pow(distanceError / l2, f.Exponent / 2) + 64 * eps;
                if (!double.IsFinite(got) || Math.Abs(got - expected) > bound)
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{f.Kind} K({i},{j}) = {got:R}, reference {expected:R}, bound {bound:E3}: {ctx}"));
            }
        }
        Verify.Unchanged(outBefore, k.Data, idx => k.Contains(idx, out _, out _), "kernel output outside the view");
        Verify.Unchanged(xBefore, x.Data, _ => false, "X (an input)");
        Verify.Unchanged(zBefore, z.Data, _ => false, "Z (an input)");
    }
}
