using System;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>
/// The core's zero-allocation contract: once warmed up (pool blocks rented, worker threads started, job
/// objects cached), a call allocates no managed memory on any thread. GC.GetTotalAllocatedBytes(precise)
/// counts every thread, so work done on the pool's workers is included.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    /// <summary>
    /// The fewest bytes allocated, process-wide, over a few measured rounds of <paramref name="repeats"/> calls.
    /// A call that allocates shows up in every round; the test runner's own threads allocate now and then
    /// (progress reporting), which a single round can catch, so one clean round is the evidence.
    /// </summary>
    static long AllocatedBy(Action call, int repeats = 3)
    {
        call(); // warm-up: pool blocks, worker threads, cached job objects, JIT
        call();
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest > 0; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < repeats; i++)
                call();
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        return fewest;
    }

    [Fact]
    public void Gemm_and_syrk_allocate_nothing_in_steady_state()
    {
        const int n = 200; // above the parallel threshold, so both workers run
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = i % 7; b[i] = i % 5; }
        Assert.Equal(0, AllocatedBy(() => Blas.Gemm(Transpose.No, Transpose.Yes, 1f, new ReadOnlyMatrixView<float>(a, n, n),
            new ReadOnlyMatrixView<float>(b, n, n), 0f, new MatrixView<float>(c, n, n))));
        Assert.Equal(0, AllocatedBy(() => Blas.Syrk(Transpose.No, 1f, new ReadOnlyMatrixView<float>(a, n, n), 0f, new MatrixView<float>(c, n, n))));
        var ad = new double[n * n];
        var cd = new double[n * n];
        Assert.Equal(0, AllocatedBy(() => Blas.Gemm(Transpose.Yes, Transpose.No, 1.0, new ReadOnlyMatrixView<double>(ad, n, n),
            new ReadOnlyMatrixView<double>(ad, n, n), 0.0, new MatrixView<double>(cd, n, n))));
    }

    [Fact]
    public void Distances_and_kernel_matrices_allocate_nothing_in_steady_state()
    {
        const int n = 300, m = 250, d = 40;
        var x = new float[n * d];
        var z = new float[m * d];
        var metric = new float[d * d];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 13) * 0.1f;
        for (int i = 0; i < z.Length; i++) z[i] = (i % 11) * 0.1f;
        for (int i = 0; i < d; i++) metric[i * d + i] = 1f + i;
        var k = new float[n * m];
        var kernel = KernelFunction.Laplace(3);
        Assert.Equal(0, AllocatedBy(() => KernelMatrix.Compute(kernel, new ReadOnlyMatrixView<float>(x, n, d),
            new ReadOnlyMatrixView<float>(z, m, d), new MatrixView<float>(k, n, m))));
        Assert.Equal(0, AllocatedBy(() => KernelMatrix.Compute(KernelFunction.GeneralizedLaplace(2, 0.7), new ReadOnlyMatrixView<float>(x, n, d),
            new ReadOnlyMatrixView<float>(z, m, d), new ReadOnlyMatrixView<float>(metric, d, d), new MatrixView<float>(k, n, m))));
        Assert.Equal(0, AllocatedBy(() => Distances.SquaredEuclidean(new ReadOnlyMatrixView<float>(x, n, d),
            new ReadOnlyMatrixView<float>(z, m, d), new MatrixView<float>(k, n, m))));
        Assert.Equal(0, AllocatedBy(() => Elementwise.Exp(k, k)));
    }

    [Fact]
    public void Single_sample_prediction_allocates_nothing_in_steady_state()
    {
        // 3000 centers x 100 directions: large enough that a prediction is shared with a helper thread.
        const int n = 3000, d = 100;
        var x = new float[n * d];
        var alpha = new float[n];
        var metric = new float[d * d];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 13) * 0.1f;
        for (int i = 0; i < n; i++) alpha[i] = (i % 5) - 2f;
        for (int i = 0; i < d; i++) metric[i * d + i] = 1f + i;
        var predictor = new KernelPredictor<float>(new ReadOnlyMatrixView<float>(x, n, d), new ReadOnlyMatrixView<float>(alpha, n, 1),
            new ReadOnlyMatrixView<float>(metric, d, d), KernelFunction.Laplace(10), Parallelism.DefaultWorkers);
        var sample = new float[d];
        var output = new float[1];
        Assert.Equal(0, AllocatedBy(() => predictor.Predict(sample, output, share: true), repeats: 50));
        Assert.Equal(0, AllocatedBy(() => predictor.Predict(sample, output, share: false), repeats: 50));
    }
}
