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
/// 1 to 5, all three kernels, metrics of every rank through their factor F (M = F F^T), and the query map x F
/// with its norm. Center counts past one chunk of
/// 512 and feature counts up to 100 reach the path that shares chunks with a helper thread (every other case
/// asks for it); <see cref="Shared_and_unshared_agree_bit_for_bit"/> checks the two paths against each other.
/// </summary>
public sealed class KernelPredictProperties
{
    public static TheoryData<IsaTier> AllTiers => Tiers.Accelerated;

    static readonly FsCheck.Arbitrary<(int N, int D, int C, int Kind, int Seed)> Cases =
        (from n in Gen.Frequency((2, Gen.Choose(0, 20)), (3, Gen.Choose(21, 300)), (2, Gen.Elements(63, 64, 65, 127, 128, 129, 255, 256, 257)),
             (1, Gen.Elements(511, 512, 513, 1023, 1025, 2049, 3100)))
         from d in Gen.Frequency((1, Gen.Choose(0, 2)), (4, Gen.Choose(3, 40)), (1, Gen.Choose(85, 100)))
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

    /// <summary>The shared path (chunks run by the caller and a helper thread) gives exactly the caller-only
    /// result, also with four threads predicting at once (one of them gets the helper, the others run alone).</summary>
    [Theory, MemberData(nameof(AllTiers))]
    public unsafe void Shared_and_unshared_agree_bit_for_bit(IsaTier tier)
    {
        const int n = 5000, d = 60, c = 2;
        var rng = new Random(11);
        float[] xm = Array.ConvertAll(Random(rng, n * d), v => (float)v), norms = new float[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                norms[i] += xm[i * d + j] * xm[i * d + j];
        var packed = new PackedCenters<float>(xm, norms, n, d);
        float[] alpha = Array.ConvertAll(Random(rng, n * c), v => (float)v);
        var kernel = KernelFunction.Laplace(5);
        int padded = (n + PackedCenters<float>.Panel - 1) / PackedCenters<float>.Panel * PackedCenters<float>.Panel;
        int scratchLength = padded + KernelPredict.Chunks(n) * c;
        float[] Run(float[] q, bool share)
        {
            var scratch = new float[scratchLength];
            var output = new float[c];
            fixed (float* pq = q, pa = alpha, po = output, ps = scratch)
                KernelPredict.Predict(tier, kernel, packed, pq, 1f, pa, c, po, ps, share ? 2 : 1);
            return output;
        }
        var queries = new float[16][];
        for (int t = 0; t < queries.Length; t++)
            queries[t] = Array.ConvertAll(Random(rng, d), v => (float)v);
        var expected = Array.ConvertAll(queries, q => Run(q, share: false));
        for (int round = 0; round < 50; round++)
            for (int t = 0; t < queries.Length; t++)
                Assert.Equal(expected[t], Run(queries[t], share: true));
        var threads = new System.Threading.Thread[4];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        for (int k = 0; k < threads.Length; k++)
        {
            int id = k;
            threads[k] = new System.Threading.Thread(() =>
            {
                for (int round = 0; round < 100; round++)
                {
                    int t = (round + id) % queries.Length;
                    var got = Run(queries[t], share: true);
                    if (got[0] != expected[t][0] || got[1] != expected[t][1])
                        failures.Enqueue($"thread {id} query {t}: {got[0]}, {got[1]} vs {expected[t][0]}, {expected[t][1]}");
                }
            });
            threads[k].Start();
        }
        foreach (var th in threads)
            th.Join();
        Assert.Empty(failures);
    }

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
        // The metric through its factor, M = F F^T / d with F d x r, r from 0 to d (low rank is what a fitted
        // RFM's M usually is; see MetricFactor).
        int r = rng.Next(4) == 0 ? rng.Next(0, d + 1) : d;
        double[] f = Random(rng, d * r), m = new double[d * d];
        for (int i = 0; i < f.Length; i++)
            f[i] /= Math.Sqrt(Math.Max(d, 1));
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < r; k++)
                    s += f[i * r + k] * f[j * r + k];
                m[i * d + j] = s;
            }
        T[] xt = Cast<T>(x), qt = Cast<T>(q), at = Cast<T>(alpha), ft = Cast<T>(f);
        // The model's preparation: X F and |x_i F|^2.
        var xf = new T[n * r];
        var norms = new T[n];
        for (int i = 0; i < n; i++)
        {
            double s2 = 0;
            for (int j = 0; j < r; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += double.CreateTruncating(xt[i * d + k]) * double.CreateTruncating(ft[k * r + j]);
                xf[i * r + j] = T.CreateTruncating(s);
                s2 += s * s;
            }
            norms[i] = T.CreateTruncating(s2);
        }
        var packed = new PackedCenters<T>(xf, norms, n, r);
        int padded = (n + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        int partials = KernelPredict.Chunks(n) * c;
        var scratch = new T[padded + partials + r + 1];
        var output = new T[c];
        fixed (T* pq = qt, pf = ft, ps = scratch, pa = at, po = output)
        {
            T* z = ps + padded + partials;
            double qNorm = KernelPredict.MapQuery(tier, pq, pf, d, r, z);
            double expectedNorm = 0;
            for (int j = 0; j < r; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += double.CreateTruncating(qt[k]) * double.CreateTruncating(ft[k * r + j]);
                expectedNorm += s * s;
                Assert.True(Math.Abs(double.CreateTruncating(z[j]) - s) <= tol * (1 + Math.Abs(s)) * Math.Max(d, 1),
                    $"x F [{j}] = {z[j]}, expected {s}");
            }
            Assert.True(Math.Abs(qNorm - expectedNorm) <= tol * (1 + expectedNorm) * Math.Max(d, 1), $"|x F|^2 = {qNorm}, expected {expectedNorm}");
            KernelPredict.Predict(tier, kernel, packed, z, T.CreateTruncating(qNorm), pa, c, po, ps, workers: (seed & 1) == 0 ? 2 : 1);
        }
        var mt = Cast<T>(m);
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
