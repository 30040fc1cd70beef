using System;
using System.Numerics;
using RfmFast.Core.Kernels;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>
/// Pairwise squared distances between the rows of X (n x d) and Z (m x d) into an n x m result,
/// Euclidean or Mahalanobis. Negative values from rounding are clamped to 0; a NaN input gives NaN.
/// </summary>
/// <remarks>
/// Computed as |x|^2 + |z|^2 - 2 x.z on the core's GEMM, so for nearly equal points the absolute error is
/// about eps (|x|^2 + |z|^2), not eps |x - z|^2. When X and Z are the same view (same memory and shape),
/// the diagonal is exactly 0. For the metric form with M = S^T S, passing the
/// transformed rows X S and Z S to <see cref="SquaredEuclidean(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float})"/>
/// gives the same distances at the cost of the transform done once by the caller.
/// </remarks>
public static class Distances
{
    /// <summary>result(i, j) = |x_i - z_j|^2.</summary>
    /// <param name="x">X, n x d.</param>
    /// <param name="z">Z, m x d.</param>
    /// <param name="result">n x m; must not overlap X or Z.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or the result overlaps an input.</exception>
    public static void SquaredEuclidean(ReadOnlyMatrixView<float> x, ReadOnlyMatrixView<float> z, MatrixView<float> result) =>
        PairwiseDriver.Run(Isa.Best, WorkerPool.DefaultWorkers, default(SquaredDistance<float>), x, z, default, false, result);

    /// <inheritdoc cref="SquaredEuclidean(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float})"/>
    public static void SquaredEuclidean(ReadOnlyMatrixView<double> x, ReadOnlyMatrixView<double> z, MatrixView<double> result) =>
        PairwiseDriver.Run(Isa.Best, WorkerPool.DefaultWorkers, default(SquaredDistance<double>), x, z, default, false, result);

    /// <summary>result(i, j) = (x_i - z_j)^T M (x_i - z_j).</summary>
    /// <param name="x">X, n x d.</param>
    /// <param name="z">Z, m x d.</param>
    /// <param name="metric">M, d x d, symmetric (checked to a relative 1e-5) and normally positive semi-definite.</param>
    /// <param name="result">n x m; must not overlap an input.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, M is not symmetric, or the result overlaps an input.</exception>
    public static void SquaredMahalanobis(ReadOnlyMatrixView<float> x, ReadOnlyMatrixView<float> z, ReadOnlyMatrixView<float> metric,
        MatrixView<float> result) =>
        PairwiseDriver.Run(Isa.Best, WorkerPool.DefaultWorkers, default(SquaredDistance<float>), x, z, metric, true, result);

    /// <inheritdoc cref="SquaredMahalanobis(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float})"/>
    public static void SquaredMahalanobis(ReadOnlyMatrixView<double> x, ReadOnlyMatrixView<double> z, ReadOnlyMatrixView<double> metric,
        MatrixView<double> result) =>
        PairwiseDriver.Run(Isa.Best, WorkerPool.DefaultWorkers, default(SquaredDistance<double>), x, z, metric, true, result);

    /// <summary>Explicit tier and worker count (tests and benchmarks); metric optional.</summary>
    internal static void Squared<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> metric, bool hasMetric, MatrixView<T> result)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        PairwiseDriver.Run(tier, workers, default(SquaredDistance<T>), x, z, metric, hasMetric, result);
}
