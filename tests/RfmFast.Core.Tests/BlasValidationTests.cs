using System;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>Argument checks of GEMM and SYRK (typed exceptions that name the argument, before any work), zero
/// sizes, and the beta = 0 rule (C is not read, so NaN in it cannot leak).</summary>
public sealed class BlasValidationTests
{
    public static TheoryData<IsaTier> Tiers => TestData.Tiers;

    [Fact]
    public void Gemm_inner_dimension_mismatch_throws_naming_b()
    {
        float[] a = new float[2 * 3], b = new float[4 * 5], c = new float[2 * 5];
        var e = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.No, Transpose.No, 1f,
            new ReadOnlyMatrixView<float>(a, 2, 3), new ReadOnlyMatrixView<float>(b, 4, 5), 0f, new MatrixView<float>(c, 2, 5)));
        Assert.Equal("b", e.ParamName);
        var t = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.No, Transpose.Yes, 1.0,
            new ReadOnlyMatrixView<double>(new double[6], 2, 3), new ReadOnlyMatrixView<double>(new double[20], 5, 4), 0.0,
            new MatrixView<double>(new double[10], 2, 5)));
        Assert.Equal("b", t.ParamName);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(2, 4)]
    [InlineData(5, 2)]
    [InlineData(0, 0)]
    public void Gemm_wrong_shape_of_c_throws_naming_c(int rows, int cols)
    {
        double[] a = new double[2 * 3], b = new double[3 * 5], c = new double[Math.Max(rows * cols, 1)];
        var e = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.No, Transpose.No, 1.0,
            new ReadOnlyMatrixView<double>(a, 2, 3), new ReadOnlyMatrixView<double>(b, 3, 5), 0.0, new MatrixView<double>(c, rows, cols)));
        Assert.Equal("c", e.ParamName);
        // op(A) = A^T is 3 x 2 here, so C must be 3 x 5.
        var t = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.Yes, Transpose.No, 1.0,
            new ReadOnlyMatrixView<double>(a, 2, 3), new ReadOnlyMatrixView<double>(new double[10], 2, 5), 0.0,
            new MatrixView<double>(new double[10], 2, 5)));
        Assert.Equal("c", t.ParamName);
    }

    [Fact]
    public void Gemm_output_overlapping_an_input_throws_and_writes_nothing()
    {
        float[] buffer = TestData.Uniform<float>(40, seed: 1);
        float[] before = (float[])buffer.Clone();
        // C's first row is the last row of A.
        var ea = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.No, Transpose.No, 1f,
            new ReadOnlyMatrixView<float>(buffer.AsSpan(0, 16), 4, 4), new ReadOnlyMatrixView<float>(new float[16], 4, 4), 0f,
            new MatrixView<float>(buffer.AsSpan(12, 16), 4, 4)));
        Assert.Equal("a", ea.ParamName);
        // C's last element is B's first.
        var eb = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.No, Transpose.Yes, 1f,
            new ReadOnlyMatrixView<float>(new float[16], 4, 4), new ReadOnlyMatrixView<float>(buffer.AsSpan(15, 16), 4, 4), 0f,
            new MatrixView<float>(buffer.AsSpan(0, 16), 4, 4)));
        Assert.Equal("b", eb.ParamName);
        // The same buffer as C for both: reported as A.
        var both = Assert.Throws<ArgumentException>(() => Blas.Gemm(Transpose.No, Transpose.No, 1f,
            new ReadOnlyMatrixView<float>(buffer.AsSpan(0, 16), 4, 4), new ReadOnlyMatrixView<float>(buffer.AsSpan(0, 16), 4, 4), 0f,
            new MatrixView<float>(buffer.AsSpan(0, 16), 4, 4)));
        Assert.Equal("a", both.ParamName);
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void Gemm_inputs_may_share_memory_with_each_other()
    {
        // A and B are both read-only: C = A A^T from one buffer is allowed and right.
        double[] a = TestData.Uniform<double>(3 * 4, seed: 2);
        var c = new double[9];
        Blas.Gemm(Transpose.No, Transpose.Yes, 1.0, new ReadOnlyMatrixView<double>(a, 3, 4), new ReadOnlyMatrixView<double>(a, 3, 4), 0.0,
            new MatrixView<double>(c, 3, 3));
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int p = 0; p < 4; p++)
                    s += a[i * 4 + p] * a[j * 4 + p];
                Assert.Equal(s, c[i * 3 + j], 1e-14);
            }
        }
    }

    [Fact]
    public void Syrk_wrong_shape_or_overlap_throws()
    {
        var a = new float[3 * 4];
        var c = Assert.Throws<ArgumentException>(() =>
            Blas.Syrk(Transpose.No, 1f, new ReadOnlyMatrixView<float>(a, 3, 4), 0f, new MatrixView<float>(new float[16], 4, 4)));
        Assert.Equal("c", c.ParamName);
        var ct = Assert.Throws<ArgumentException>(() =>
            Blas.Syrk(Transpose.Yes, 1.0, new ReadOnlyMatrixView<double>(new double[12], 3, 4), 0.0, new MatrixView<double>(new double[12], 3, 4)));
        Assert.Equal("c", ct.ParamName);
        var buffer = new float[30];
        var o = Assert.Throws<ArgumentException>(() =>
            Blas.Syrk(Transpose.No, 1f, new ReadOnlyMatrixView<float>(buffer.AsSpan(0, 12), 3, 4), 0f,
                new MatrixView<float>(buffer.AsSpan(11, 9), 3, 3)));
        Assert.Equal("a", o.ParamName);
    }

    [Theory, MemberData(nameof(Tiers))]
    public void Empty_m_or_n_is_a_no_op(IsaTier tier)
    {
        float[] b = TestData.Uniform<float>(12, seed: 3), bBefore = (float[])b.Clone();
        float[] c = TestData.Filled(12, float.NaN);
        foreach (int workers in new[] { 1, 2 })
        {
            // m = 0: A is 0 x 3 over an empty span.
            Blas.Gemm<float>(tier, workers, Transpose.No, Transpose.No, 1f, new ReadOnlyMatrixView<float>(Span<float>.Empty, 0, 3),
                new ReadOnlyMatrixView<float>(b, 3, 4), 0f, new MatrixView<float>(Span<float>.Empty, 0, 4));
            // n = 0: C is 4 x 0.
            Blas.Gemm<float>(tier, workers, Transpose.Yes, Transpose.No, 1f, new ReadOnlyMatrixView<float>(b, 3, 4),
                new ReadOnlyMatrixView<float>(Span<float>.Empty, 3, 0), 0f, new MatrixView<float>(Span<float>.Empty, 4, 0));
            Blas.Syrk<double>(tier, workers, Transpose.No, 1.0, new ReadOnlyMatrixView<double>(Span<double>.Empty, 0, 5), 0.0,
                new MatrixView<double>(Span<double>.Empty, 0, 0));
        }
        Assert.Equal(bBefore, b);
        Assert.All(c, x => Assert.True(float.IsNaN(x)));
    }

    [Theory, MemberData(nameof(Tiers))]
    public void Empty_k_scales_c_by_beta(IsaTier tier)
    {
        foreach (int workers in new[] { 1, 2 })
        {
            // 7 x 9 with ld 10: the gap column must stay untouched.
            float[] c = TestData.Uniform<float>(70, seed: 4), before = (float[])c.Clone();
            var empty = new ReadOnlyMatrixView<float>(Span<float>.Empty, 7, 0);
            var emptyT = new ReadOnlyMatrixView<float>(Span<float>.Empty, 0, 9);
            Blas.Gemm<float>(tier, workers, Transpose.No, Transpose.No, 1f, empty, emptyT, 1f, new MatrixView<float>(c, 7, 9, 10));
            Assert.Equal(before, c);
            Blas.Gemm<float>(tier, workers, Transpose.No, Transpose.No, 3f, empty, emptyT, -2f, new MatrixView<float>(c, 7, 9, 10));
            for (int x = 0; x < c.Length; x++)
                Assert.Equal(x % 10 == 9 ? before[x] : -2f * before[x], c[x]);

            // beta = 0 writes zeros over NaN without reading it.
            float[] nan = TestData.Filled(70, float.NaN);
            Blas.Gemm<float>(tier, workers, Transpose.No, Transpose.No, 1f, empty, emptyT, 0f, new MatrixView<float>(nan, 7, 9, 10));
            for (int x = 0; x < nan.Length; x++)
                Assert.True(x % 10 == 9 ? float.IsNaN(nan[x]) : nan[x] == 0f, $"element {x} = {nan[x]}");

            // SYRK with k = 0: only the lower triangle is scaled.
            double[] s = TestData.Uniform<double>(25, seed: 5), sBefore = (double[])s.Clone();
            Blas.Syrk<double>(tier, workers, Transpose.No, 1.0, new ReadOnlyMatrixView<double>(Span<double>.Empty, 5, 0), 0.5,
                new MatrixView<double>(s, 5, 5));
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++)
                    Assert.Equal(j <= i ? 0.5 * sBefore[i * 5 + j] : sBefore[i * 5 + j], s[i * 5 + j]);
        }
    }

    [Theory, MemberData(nameof(Tiers))]
    public void Beta_zero_never_reads_c(IsaTier tier)
    {
        // Sizes with full tiles, edge rows and edge columns on every tier, C full of NaN and infinities.
        foreach (var (m, n, k) in new[] { (6, 32, 5), (7, 33, 3), (13, 70, 257), (1, 1, 1), (70, 70, 70) })
        {
            foreach (int workers in new[] { 1, 2 })
            {
                float[] a = TestData.Uniform<float>(m * k, seed: m + n), b = TestData.Uniform<float>(k * n, seed: k);
                float[] c = new float[m * n];
                for (int x = 0; x < c.Length; x++)
                    c[x] = (x % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
                Blas.Gemm<float>(tier, workers, Transpose.No, Transpose.No, 1f, new ReadOnlyMatrixView<float>(a, m, k),
                    new ReadOnlyMatrixView<float>(b, k, n), 0f, new MatrixView<float>(c, m, n));
                Assert.All(c, x => Assert.True(float.IsFinite(x)));

                double[] s = TestData.Filled(m * m, double.NaN);
                double[] ad = TestData.Uniform<double>(m * k, seed: m);
                Blas.Syrk<double>(tier, workers, Transpose.No, -1.0, new ReadOnlyMatrixView<double>(ad, m, k), 0.0, new MatrixView<double>(s, m, m));
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++)
                        Assert.True(j <= i ? double.IsFinite(s[i * m + j]) : double.IsNaN(s[i * m + j]), $"C({i}, {j}) = {s[i * m + j]}");
            }
        }
    }
}
