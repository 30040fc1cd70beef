using System;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>
/// The public entry points generic over the element type with an explicit worker count (for the estimator): the
/// same results as the tier-explicit ones on <see cref="Isa.Best"/>, and their own argument checks.
/// </summary>
public sealed class GenericEntryPointTests
{
    const int N = 40, D = 7;

    [Fact]
    public void Gemm_kernel_matrix_and_agop_agree_with_the_best_tier()
    {
        float[] x = TestData.Uniform<float>(N * D, 1), alpha = TestData.Uniform<float>(N * 2, 2);
        var metric = new float[D * D];
        for (int i = 0; i < D; i++)
            metric[i * D + i] = 1 + i;
        var xv = new ReadOnlyMatrixView<float>(x, N, D);
        var mv = new ReadOnlyMatrixView<float>(metric, D, D);
        var kernel = KernelFunction.Laplace(3);

        float[] k1 = new float[N * N], k2 = new float[N * N];
        KernelMatrix.Compute(2, kernel, xv, xv, mv, new MatrixView<float>(k1, N, N));
        KernelMatrix.Compute(Isa.Best, 2, kernel, xv, xv, mv, true, new MatrixView<float>(k2, N, N));
        Assert.Equal(k2, k1);

        float[] c1 = new float[N * N], c2 = new float[N * N];
        Blas.Gemm(2, Transpose.No, Transpose.Yes, 1f, xv, xv, 0f, new MatrixView<float>(c1, N, N));
        Blas.Gemm(Isa.Best, 2, Transpose.No, Transpose.Yes, 1f, xv, xv, 0f, new MatrixView<float>(c2, N, N));
        Assert.Equal(c2, c1);

        float[] g1 = new float[D * D], g2 = new float[D * D], workspace = new float[N * N];
        var av = new ReadOnlyMatrixView<float>(alpha, N, 2);
        Agop.Compute(2, kernel, xv, av, mv, default, new MatrixView<float>(g1, D, D), false, workspace);
        Agop.Compute(Isa.Best, 2, kernel, xv, av, mv, default, new MatrixView<float>(g2, D, D), false, default);
        Assert.Equal(g2, g1);
    }

    [Fact]
    public void A_worker_count_below_one_and_an_element_type_other_than_float_or_double_are_rejected()
    {
        var h = new Half[4];
        Assert.Throws<NotSupportedException>(() => Blas.Gemm(1, Transpose.No, Transpose.No, Half.One, new ReadOnlyMatrixView<Half>(h, 2, 2),
            new ReadOnlyMatrixView<Half>(h, 2, 2), Half.Zero, new MatrixView<Half>(new Half[4], 2, 2)));
        var f = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>("workers", () => Blas.Gemm(0, Transpose.No, Transpose.No, 1f, new ReadOnlyMatrixView<float>(f, 2, 2),
            new ReadOnlyMatrixView<float>(f, 2, 2), 0f, new MatrixView<float>(new float[4], 2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>("workers", () => KernelMatrix.Compute(0, KernelFunction.Laplace(1), new ReadOnlyMatrixView<float>(f, 2, 2),
            new ReadOnlyMatrixView<float>(f, 2, 2), new ReadOnlyMatrixView<float>(f, 2, 2), new MatrixView<float>(new float[4], 2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>("workers", () => Agop.Compute(0, KernelFunction.Laplace(1), new ReadOnlyMatrixView<float>(f, 2, 2),
            new ReadOnlyMatrixView<float>(f, 2, 2), new ReadOnlyMatrixView<float>(f, 2, 2), default, new MatrixView<float>(new float[4], 2, 2), false, default));
    }
}
