using System;
using System.Numerics;
using RfmFast.Core.Kernels;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>
/// Kernel matrices K(i, j) = k(r(x_i, z_j)) between the rows of X (n x d) and Z (m x d), with the
/// distance pass and the kernel function fused: the exp runs on each GEMM tile while it is in cache.
/// </summary>
/// <remarks>
/// The exp is the core's vectorized one (error within 2 ulp; see the repository docs), the square root
/// is the hardware's. Distances are clamped at 0 before the kernel is applied, and when X and Z are the
/// same view (same memory, same shape) the diagonal is computed from an exact 0 distance, so K(i, i) = 1. Values below about 1e-38 (float) underflow to 0.
/// </remarks>
public static class KernelMatrix
{
    /// <summary>K(i, j) = k(|x_i - z_j|).</summary>
    /// <param name="kernel">The kernel and its bandwidth.</param>
    /// <param name="x">X, n x d.</param>
    /// <param name="z">Z, m x d.</param>
    /// <param name="result">n x m; must not overlap X or Z.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or the result overlaps an input.</exception>
    public static void Compute(KernelFunction kernel, ReadOnlyMatrixView<float> x, ReadOnlyMatrixView<float> z, MatrixView<float> result) =>
        Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, x, z, default, false, result);

    /// <inheritdoc cref="Compute(KernelFunction, ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float})"/>
    public static void Compute(KernelFunction kernel, ReadOnlyMatrixView<double> x, ReadOnlyMatrixView<double> z, MatrixView<double> result) =>
        Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, x, z, default, false, result);

    /// <summary>K(i, j) = k(sqrt((x_i - z_j)^T M (x_i - z_j))).</summary>
    /// <param name="kernel">The kernel and its bandwidth.</param>
    /// <param name="x">X, n x d.</param>
    /// <param name="z">Z, m x d.</param>
    /// <param name="metric">M, d x d, symmetric positive semi-definite.</param>
    /// <param name="result">n x m; must not overlap an input.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, M is not symmetric, or the result overlaps an input.</exception>
    public static void Compute(KernelFunction kernel, ReadOnlyMatrixView<float> x, ReadOnlyMatrixView<float> z,
        ReadOnlyMatrixView<float> metric, MatrixView<float> result) =>
        Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, x, z, metric, true, result);

    /// <inheritdoc cref="Compute(KernelFunction, ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float})"/>
    public static void Compute(KernelFunction kernel, ReadOnlyMatrixView<double> x, ReadOnlyMatrixView<double> z,
        ReadOnlyMatrixView<double> metric, MatrixView<double> result) =>
        Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, x, z, metric, true, result);

    /// <summary>K(i, j) = k(sqrt((x_i - z_j)^T M (x_i - z_j))) on at most <paramref name="workers"/> threads, in float
    /// or double: for callers generic over the element type, with a worker count of their own.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="workers">The most threads to use, the caller's included (see <see cref="Parallelism.DefaultWorkers"/>).</param>
    /// <param name="kernel">The kernel and its bandwidth.</param>
    /// <param name="x">X, n x d.</param>
    /// <param name="z">Z, m x d.</param>
    /// <param name="metric">M, d x d, symmetric positive semi-definite.</param>
    /// <param name="result">n x m; must not overlap an input.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, M is not symmetric, or the result overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Compute<T>(int workers, KernelFunction kernel, ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> metric, MatrixView<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.CheckElementAndWorkers<T>(workers);
        Compute(Isa.Best, workers, kernel, x, z, metric, true, result);
    }

    /// <summary>Explicit tier and worker count (tests and benchmarks); metric optional.</summary>
    internal static void Compute<T>(IsaTier tier, int workers, KernelFunction kernel, ReadOnlyMatrixView<T> x,
        ReadOnlyMatrixView<T> z, ReadOnlyMatrixView<T> metric, bool hasMetric, MatrixView<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kernel.Bandwidth <= 0)
            ThrowHelper.Argument(nameof(kernel), "The kernel is default(KernelFunction); create it with KernelFunction.Laplace and the like.");
        var run = new PairwiseRun<T>(tier, workers, x, z, metric, hasMetric, result);
        KernelTransforms.With<T, PairwiseRun<T>>(kernel, ref run);
    }

    /// <summary>The pairwise pass, waiting for its transform from <see cref="KernelTransforms"/>.</summary>
    readonly ref struct PairwiseRun<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> metric, bool hasMetric, MatrixView<T> result) : IRadialTransformUser<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        readonly ReadOnlyMatrixView<T> _x = x, _z = z, _metric = metric;
        readonly MatrixView<T> _result = result;

        public void Use<TF>(TF transform) where TF : struct, IRadialTransform<T> =>
            PairwiseDriver.Run(tier, workers, transform, _x, _z, _metric, hasMetric, _result);
    }
}
