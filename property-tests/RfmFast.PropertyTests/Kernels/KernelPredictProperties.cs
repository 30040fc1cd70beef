using System;
using FsCheck.Fluent;
using RfmFast.Core;
using RfmFast.Core.Kernels;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Kernels;

/// <summary>
/// Single-sample prediction (<see cref="KernelPredict"/> over <see cref="PackedCenters{T}"/>) against the
/// definition f(x) = sum_i alpha_i k((x - x_i)^T M (x - x_i)) in double, on every accelerated tier: center
/// counts around the 16-center panel and the 8-vector group (128 floats, 64 doubles on AVX-512), outputs
/// 1 to 5, all three kernels, and the query transform x M with its norm.
/// </summary>
public sealed class KernelPredictProperties
{
    public static TheoryData<IsaTier> AllTiers => Tiers.Accelerated;

    static readonly FsCheck.Arbitrary<(int N, int D, int C, int Kind, int Seed)> Cases =
        (from n in Gen.Frequency((2, Gen.Choose(0, 20)), (3, Gen.Choose(21, 300)), (2, Gen.Elements(63, 64, 65, 127, 128, 129, 255, 256, 257)))
         from d in Gen.Frequency((1, Gen.Choose(0, 2)), (4, Gen.Choose(3, 40)))
         from c in Gen.Choose(1, 5)
         from kind in Gen.Choose(0, 2)
         from seed in Gen.Choose(0, int.MaxValue)
         select (n, d, c, kind, seed)).ToArbitrary();

    [Theory, MemberData(nameof(AllTiers))]
    public void Float_matches_the_double_definition(IsaTier tier) =>
        PropertyRunner.Check($"kernel-predict-float-{tier}", Cases, c => Check<float>(tier, c.N, c.D, c.C, c.Kind, c.Seed, 2e-4), 60);

    [Theory, MemberData(nameof(AllTiers))]
    public void Double_matches_the_double_definition(IsaTier tier) =>
        PropertyRunner.Check($"kernel-predict-double-{tier}", Cases, c => Check<double>(tier, c.N, c.D, c.C, c.Kind, c.Seed, 1e-11), 60);

    static unsafe void Check<T>(IsaTier tier, int n, int d, int c, int kind, int seed, double tol)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var kernel = kind switch
        {
            0 => KernelFunction.Laplace(1 + 2 * rng.NextDouble()),
            1 => KernelFunction.Gaussian(1 + 2 * rng.NextDouble()),
            _ => KernelFunction.GeneralizedLaplace(1 + 2 * rng.NextDouble(), 0.5 + rng.NextDouble()),
        };
        double[] x = Random(rng, n * d), q = Random(rng, d), alpha = Random(rng, n * c);
        // A symmetric PSD metric: B B^T / d.
        double[] b = Random(rng, d * d), m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += b[i * d + k] * b[j * d + k];
                m[i * d + j] = s / Math.Max(d, 1);
            }
        T[] xt = Cast<T>(x), qt = Cast<T>(q), at = Cast<T>(alpha), mt = Cast<T>(m);
        // The model's preparation: X M and |x_i|_M^2 (symmetrized exactly like a fitted metric is).
        var xm = new T[n * d];
        var norms = new T[n];
        for (int i = 0; i < n; i++)
        {
            double s2 = 0;
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += double.CreateTruncating(xt[i * d + k]) * double.CreateTruncating(mt[k * d + j]);
                xm[i * d + j] = T.CreateTruncating(s);
                s2 += s * double.CreateTruncating(xt[i * d + j]);
            }
            norms[i] = T.CreateTruncating(s2);
        }
        var packed = new PackedCenters<T>(xm, norms, n, d);
        int padded = (n + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        var scratch = new T[padded + d + 1];
        var output = new T[c];
        fixed (T* pq = qt, pm = mt, ps = scratch, pa = at, po = output)
        {
            double qNorm = KernelPredict.TransformQuery(tier, pq, pm, d, ps + padded);
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += double.CreateTruncating(qt[k]) * double.CreateTruncating(mt[k * d + j]);
                Assert.True(Math.Abs(double.CreateTruncating(ps[padded + j]) - s) <= tol * (1 + Math.Abs(s)) * Math.Max(d, 1),
                    $"x M [{j}] = {ps[padded + j]}, expected {s}");
            }
            KernelPredict.Predict(tier, kernel, packed, pq, T.CreateTruncating(qNorm), pa, c, po, ps);
        }
        for (int o = 0; o < c; o++)
        {
            double expected = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                double r2 = 0;
                for (int j = 0; j < d; j++)
                    for (int k = 0; k < d; k++)
                        r2 += (double.CreateTruncating(qt[j]) - double.CreateTruncating(xt[i * d + j])) * double.CreateTruncating(mt[j * d + k])
                            * (double.CreateTruncating(qt[k]) - double.CreateTruncating(xt[i * d + k]));
                double kv = Kernel(kernel, Math.Max(r2, 0));
                expected += double.CreateTruncating(at[i * c + o]) * kv;
                scale += Math.Abs(double.CreateTruncating(at[i * c + o]));
            }
            double got = double.CreateTruncating(output[o]);
            Assert.True(Math.Abs(got - expected) <= tol * (1 + scale) * Math.Max(1, d),
                $"n={n} d={d} c={c} {kernel.Kind}: output[{o}] = {got}, expected {expected}");
        }
    }

    static double Kernel(KernelFunction k, double r2) => k.Kind switch
    {
        KernelKind.Laplace => Math.Exp(-Math.Sqrt(r2) / k.Bandwidth),
        KernelKind.Gaussian => Math.Exp(-r2 / (2 * k.Bandwidth * k.Bandwidth)),
        _ => Math.Exp(-Math.Pow(r2, k.Exponent / 2) / Math.Pow(k.Bandwidth, k.Exponent)),
    };

    static double[] Random(Random rng, int count)
    {
        var v = new double[count];
        for (int i = 0; i < count; i++)
            v[i] = rng.NextDouble() * 2 - 1;
        return v;
    }

    static T[] Cast<T>(double[] v) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var r = new T[v.Length];
        for (int i = 0; i < v.Length; i++)
            r[i] = T.CreateTruncating(v[i]);
        return r;
    }
}
