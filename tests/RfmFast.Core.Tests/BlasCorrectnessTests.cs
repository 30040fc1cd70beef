using System;
using System.Numerics;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>
/// GEMM and SYRK on every accelerated tier, 1 and 2 workers, against the naive double reference (shared with
/// the property tests) at a few hand-picked sizes: one element, one full micro-tile, partial tiles, a
/// reduction over the KC block (256 or 384), more rows than one MC block (96), and a problem large enough for two workers. The property tests go much wider.
/// </summary>
public sealed class BlasCorrectnessTests
{
    public static TheoryData<IsaTier, int> TiersAndWorkers => TestData.TiersAndWorkers;

    static readonly (int M, int N, int K)[] s_shapes =
        [(1, 1, 1), (6, 32, 4), (6, 16, 8), (7, 33, 5), (13, 9, 257), (5, 3, 400), (70, 70, 70), (100, 20, 160)];

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Gemm_float_matches_the_reference(IsaTier tier, int workers) => Gemm<float>(tier, workers);

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Gemm_double_matches_the_reference(IsaTier tier, int workers) => Gemm<double>(tier, workers);

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Syrk_float_matches_the_reference(IsaTier tier, int workers) => Syrk<float>(tier, workers);

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Syrk_double_matches_the_reference(IsaTier tier, int workers) => Syrk<double>(tier, workers);

    [Fact]
    public void The_public_entry_points_use_the_best_tier_and_agree_with_it()
    {
        const int m = 37, n = 41, k = 45;
        float[] a = TestData.Uniform<float>(m * k, 11), b = TestData.Uniform<float>(k * n, 12);
        float[] c1 = TestData.Uniform<float>(m * n, 13), c2 = (float[])c1.Clone();
        Blas.Gemm(Transpose.No, Transpose.No, 0.5f, new ReadOnlyMatrixView<float>(a, m, k), new ReadOnlyMatrixView<float>(b, k, n), 2f,
            new MatrixView<float>(c1, m, n));
        Blas.Gemm<float>(Isa.Best, 1, Transpose.No, Transpose.No, 0.5f, new ReadOnlyMatrixView<float>(a, m, k),
            new ReadOnlyMatrixView<float>(b, k, n), 2f, new MatrixView<float>(c2, m, n));
        Assert.Equal(c2, c1); // below the parallel threshold: the same code path, bit for bit

        double[] ad = TestData.Uniform<double>(m * k, 14);
        double[] s1 = new double[m * m], s2 = new double[m * m];
        Blas.Syrk(Transpose.No, 1.0, new ReadOnlyMatrixView<double>(ad, m, k), 0.0, new MatrixView<double>(s1, m, m));
        Blas.Syrk<double>(Isa.Best, 1, Transpose.No, 1.0, new ReadOnlyMatrixView<double>(ad, m, k), 0.0, new MatrixView<double>(s2, m, m));
        Assert.Equal(s2, s1);
        Blas.Gemm(Transpose.No, Transpose.Yes, 1.0, new ReadOnlyMatrixView<double>(ad, m, k), new ReadOnlyMatrixView<double>(ad, m, k), 0.0,
            new MatrixView<double>(s2, m, m));
        for (int i = 0; i < m; i++)
            for (int j = 0; j <= i; j++)
                Assert.Equal(s2[i * m + j], s1[i * m + j], 1e-13);
    }

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Results_are_deterministic_for_a_tier_and_worker_count(IsaTier tier, int workers)
    {
        const int m = 75, n = 66, k = 280; // above the parallel threshold
        float[] a = TestData.Uniform<float>(k * m, 21), b = TestData.Uniform<float>(n * k, 22);
        float[] first = TestData.Uniform<float>(m * n, 23), second = (float[])first.Clone();
        for (int run = 0; run < 2; run++)
        {
            Blas.Gemm<float>(tier, workers, Transpose.Yes, Transpose.Yes, -1f, new ReadOnlyMatrixView<float>(a, k, m),
                new ReadOnlyMatrixView<float>(b, n, k), 0.5f, new MatrixView<float>(run == 0 ? first : second, m, n));
        }
        Assert.Equal(first, second);
    }

    static void Gemm<T>(IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = 100;
        foreach (var (m, n, k) in s_shapes)
        {
            foreach (var (ta, tb) in TestData.Transposes())
            {
                seed++;
                // A, B and C with leading dimensions two wider than their rows.
                int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                T[] a = TestData.Uniform<T>(aRows * (aCols + 2), seed), b = TestData.Uniform<T>(bRows * (bCols + 2), seed + 1);
                T[] c = TestData.Uniform<T>(m * (n + 2), seed + 2), c0 = (T[])c.Clone();
                double alpha = seed % 2 == 0 ? 1.0 : -0.75, beta = seed % 3 == 0 ? 0.0 : 0.5;
                Blas.Gemm(tier, workers, TestData.Op(ta), TestData.Op(tb), T.CreateTruncating(alpha),
                    new ReadOnlyMatrixView<T>(a, aRows, aCols, aCols + 2), new ReadOnlyMatrixView<T>(b, bRows, bCols, bCols + 2),
                    T.CreateTruncating(beta), new MatrixView<T>(c, m, n, n + 2));

                var (value, magnitude) = NaiveBlas.Gemm(ta, tb, alpha, new Dense<T>(a, 0, aRows, aCols, aCols + 2),
                    new Dense<T>(b, 0, bRows, bCols, bCols + 2), beta, new Dense<T>(c0, 0, m, n, n + 2));
                AssertClose(c, c0, n + 2, value, magnitude, NaiveBlas.Gamma<T>(k), lowerOnly: false,
                    $"{typeof(T).Name} GEMM {m}x{n}x{k} ta={ta} tb={tb} on {tier} with {workers} worker(s)");
            }
        }
    }

    static void Syrk<T>(IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = 500;
        foreach (var (n, _, k) in s_shapes)
        {
            foreach (bool trans in new[] { false, true })
            {
                seed++;
                int aRows = trans ? k : n, aCols = trans ? n : k;
                T[] a = TestData.Uniform<T>(aRows * (aCols + 1), seed);
                T[] c = TestData.Uniform<T>(n * (n + 3), seed + 1), c0 = (T[])c.Clone();
                double alpha = trans ? 1.0 : -2.0, beta = seed % 2 == 0 ? 0.0 : 1.0;
                Blas.Syrk(tier, workers, TestData.Op(trans), T.CreateTruncating(alpha), new ReadOnlyMatrixView<T>(a, aRows, aCols, aCols + 1),
                    T.CreateTruncating(beta), new MatrixView<T>(c, n, n, n + 3));

                var (value, magnitude) = NaiveBlas.SyrkLower(trans, alpha, new Dense<T>(a, 0, aRows, aCols, aCols + 1), beta,
                    new Dense<T>(c0, 0, n, n, n + 3));
                AssertClose(c, c0, n + 3, value, magnitude, NaiveBlas.Gamma<T>(k), lowerOnly: true,
                    $"{typeof(T).Name} SYRK {n}x{k} trans={trans} on {tier} with {workers} worker(s)");
            }
        }
    }

    /// <summary>Inside the matrix (the lower triangle for SYRK) within gamma of the reference; everything
    /// else in the buffer (gap columns, strict upper triangle) bit for bit as before.</summary>
    static void AssertClose<T>(T[] c, T[] c0, int ld, double[,] value, double[,] magnitude, double gamma, bool lowerOnly, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = value.GetLength(0), n = value.GetLength(1);
        for (int x = 0; x < c.Length; x++)
        {
            int i = x / ld, j = x % ld;
            bool inside = i < m && j < n && (!lowerOnly || j <= i);
            if (!inside)
            {
                Assert.True(c[x].Equals(c0[x]), $"{what}: element ({i}, {j}) outside the result was written.");
                continue;
            }
            double got = double.CreateTruncating(c[x]);
            double bound = gamma * magnitude[i, j] + 1e-300;
            Assert.True(Math.Abs(got - value[i, j]) <= bound,
                $"{what}: C({i}, {j}) = {got:R}, reference {value[i, j]:R}, bound {bound:E2}.");
        }
    }
}
