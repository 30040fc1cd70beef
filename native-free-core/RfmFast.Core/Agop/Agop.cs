using System;
using System.Numerics;
using RfmFast.Core.Kernels;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>
/// The average gradient outer product of a kernel predictor f(z) = sum_i alpha_i k(|z - x_i|_M):
/// G = (1/m) sum_j sum_l grad f_l(z_j) grad f_l(z_j)^T over m evaluation points z_j, the feature
/// matrix update of a Recursive Feature Machine.
/// </summary>
/// <remarks>
/// <para>With grad f_l(z) = M h_l(z), h_l(z) = sum_i alpha_il phi(r_i) (z - x_i) and phi the kernel's
/// weight (Laplace: -k/(L r)), it is computed without the m x c x d gradient tensor: the weights W (m x n)
/// in one fused pass over the distances, S = W alpha, then per output l one GEMM T = W (alpha_l * X) and
/// H_l = diag(S_l) Z - T, accumulated as H_l^T H_l by SYRK, and finally G = M (sum_l H_l^T H_l) M / m.</para>
/// <para>Pairs closer than 1e-10 (a point and itself, duplicates) contribute nothing, as in the reference
/// implementations: when the evaluation points are training points (given by index), the self pair is
/// zeroed explicitly, since the expanded distance of a point to itself is a rounding residue, not 0.</para>
/// <para>Optional gradient centering subtracts, per output l, the mean of h_l over the evaluation points
/// (the rfm package's per-class centering).</para>
/// </remarks>
public static class Agop
{
    /// <summary>The width of the GEMM of step 3: outputs are grouped up to about this many columns.</summary>
    const int GroupColumns = 512;

    /// <summary>Computes the full d x d AGOP.</summary>
    /// <param name="kernel">The kernel of the predictor.</param>
    /// <param name="centers">X, n x d: the predictor's centers (training points).</param>
    /// <param name="coefficients">alpha, n x c: the predictor's coefficients.</param>
    /// <param name="metric">M, d x d, symmetric PSD: the predictor's current feature matrix.</param>
    /// <param name="pointIndices">The evaluation points as row indices into <paramref name="centers"/>;
    /// empty means every center (the usual RFM choice).</param>
    /// <param name="result">G, d x d, written (symmetric).</param>
    /// <param name="centerGradients">Subtract each output's mean gradient first.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, an index is out of range, or an output overlaps an input.</exception>
    public static void Compute(KernelFunction kernel, ReadOnlyMatrixView<float> centers, ReadOnlyMatrixView<float> coefficients,
        ReadOnlyMatrixView<float> metric, ReadOnlySpan<int> pointIndices, MatrixView<float> result, bool centerGradients = false) =>
        Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, centers, coefficients, metric, pointIndices, result, centerGradients, default);

    /// <inheritdoc cref="Compute(KernelFunction, ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, ReadOnlySpan{int}, MatrixView{float}, bool)"/>
    public static void Compute(KernelFunction kernel, ReadOnlyMatrixView<double> centers, ReadOnlyMatrixView<double> coefficients,
        ReadOnlyMatrixView<double> metric, ReadOnlySpan<int> pointIndices, MatrixView<double> result, bool centerGradients = false) =>
        Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, centers, coefficients, metric, pointIndices, result, centerGradients, default);

    /// <summary>The full d x d AGOP on at most <paramref name="workers"/> threads, in float or double, with an optional
    /// workspace for the m x n gradient weights (an estimator passes its kernel-matrix buffer, so the AGOP needs no
    /// memory of its own): for callers generic over the element type, with a worker count of their own.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="workers">The most threads to use, the caller's included (see <see cref="Parallelism.DefaultWorkers"/>).</param>
    /// <param name="kernel">The kernel of the predictor.</param>
    /// <param name="centers">X, n x d: the predictor's centers (training points).</param>
    /// <param name="coefficients">alpha, n x c: the predictor's coefficients.</param>
    /// <param name="metric">M, d x d, symmetric PSD: the predictor's current feature matrix.</param>
    /// <param name="pointIndices">The evaluation points as row indices into <paramref name="centers"/>;
    /// empty means every center.</param>
    /// <param name="result">G, d x d, written (symmetric).</param>
    /// <param name="centerGradients">Subtract each output's mean gradient first.</param>
    /// <param name="workspace">At least m x n elements (m evaluation points) to use for the weights; shorter (or
    /// empty) means a pooled buffer. Its contents are overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, an index is out of range, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Compute<T>(int workers, KernelFunction kernel, ReadOnlyMatrixView<T> centers, ReadOnlyMatrixView<T> coefficients,
        ReadOnlyMatrixView<T> metric, ReadOnlySpan<int> pointIndices, MatrixView<T> result, bool centerGradients, Span<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.CheckElementAndWorkers<T>(workers);
        Compute(Isa.Best, workers, kernel, centers, coefficients, metric, pointIndices, result, centerGradients, workspace);
    }

    /// <summary>The AGOP with an explicit tier, worker count and an optional m x n workspace for the weights
    /// (an estimator passes its kernel-matrix buffer; empty means a pooled one).</summary>
    internal static unsafe void Compute<T>(IsaTier tier, int workers, KernelFunction kernel, ReadOnlyMatrixView<T> centers,
        ReadOnlyMatrixView<T> coefficients, ReadOnlyMatrixView<T> metric, ReadOnlySpan<int> pointIndices, MatrixView<T> result,
        bool centerGradients, Span<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = centers.Rows, d = centers.Cols, c = coefficients.Cols;
        bool all = pointIndices.IsEmpty;
        int m = all ? n : pointIndices.Length;
        Validate(centers, coefficients, metric, pointIndices, result);
        if (n == 0 || m == 0 || d == 0)
        {
            for (int i = 0; i < d; i++)
                result.Row(i).Clear();
            return;
        }

        if (TryLowRank(tier, workers, kernel, centers, coefficients, metric, pointIndices, result, centerGradients, workspace))
            return;

        using var pooledW = PooledBuffer<T>.Rent(workspace.Length >= (long)m * n ? 0 : m * n);
        Span<T> wSpan = workspace.Length >= (long)m * n ? workspace[..(m * n)] : pooledW.Span;
        using var pointsBuf = PooledBuffer<T>.Rent(all ? 0 : m * d);
        ReadOnlyMatrixView<T> z = centers;
        if (!all)
        {
            var zv = new MatrixView<T>(pointsBuf.Span, m, d);
            for (int j = 0; j < m; j++)
                centers.Row(pointIndices[j]).CopyTo(zv.Row(j));
            z = zv;
        }

        // 1. W(j, i) = phi(r(z_j, x_i)), fused with the distance GEMM.
        var w = new MatrixView<T>(wSpan, m, n);
        Weights(tier, workers, kernel, z, centers, metric, w);
        if (!all)
            for (int j = 0; j < m; j++)
                w[j, pointIndices[j]] = T.Zero;

        // 2. and 3. For each output: H = diag(S_l) Z - W (alpha_l * X), S = W alpha; HtH += H^T H. Outputs go
        // through the GEMM in groups of g (about 512 columns, g d wide), so W is packed once per group rather than
        // once per output and the GEMM's N is wide enough for full tiles. The first group also carries alpha's c
        // columns, so S costs no pass of its own over the m x n weights (measurements in
        // bench/results/notes/core-measurements.md).
        int g = Math.Clamp(GroupColumns / Math.Max(d, 1), 1, c);
        int gd = g * d + c;
        using var sBuf = PooledBuffer<T>.Rent(m * c);
        var s = new MatrixView<T>(sBuf.Span, m, c);
        using var work = PooledBuffer<T>.Rent(n * gd + m * gd + 2 * d * d);
        var hth = new MatrixView<T>(work.Span.Slice(n * gd + m * gd, d * d), d, d);
        var p = new MatrixView<T>(work.Span.Slice(n * gd + m * gd + d * d, d * d), d, d);
        for (int l0 = 0; l0 < c; l0 += g)
        {
            int gl = Math.Min(g, c - l0), extra = l0 == 0 ? c : 0, width = gl * d + extra;
            var xa = new MatrixView<T>(work.Span[..(n * width)], n, width);
            var hAll = new MatrixView<T>(work.Span.Slice(n * gd, m * width), m, width);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<T> xi = centers.Row(i);
                Span<T> dst = xa.Row(i);
                for (int q = 0; q < gl; q++)
                {
                    T a = coefficients[i, l0 + q];
                    for (int k = 0; k < d; k++)
                        dst[q * d + k] = a * xi[k];
                }
                for (int q = 0; q < extra; q++)
                    dst[gl * d + q] = coefficients[i, q];
            }
            Blas.Gemm(tier, workers, Transpose.No, Transpose.No, -T.One, w, xa, T.Zero, hAll);
            for (int j = 0; j < m && extra > 0; j++)
                for (int q = 0; q < c; q++)
                    s[j, q] = -hAll[j, gl * d + q];
            for (int q = 0; q < gl; q++)
            {
                int l = l0 + q;
                // Output l's block of columns, a strided view of hAll.
                var h = new MatrixView<T>(work.Span.Slice(n * gd + q * d, (m - 1) * width + d), m, d, width);
                for (int j = 0; j < m; j++)
                {
                    T sj = s[j, l];
                    ReadOnlySpan<T> zj = z.Row(j);
                    Span<T> hj = h.Row(j);
                    for (int k = 0; k < d; k++)
                        hj[k] += sj * zj[k];
                }
                if (centerGradients)
                    SubtractColumnMeans(h);
                Blas.Syrk(tier, workers, Transpose.Yes, T.One, h, l == 0 ? T.Zero : T.One, hth);
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
                hth[i, j] = hth[j, i];

        // 4. G = M (H^T H) M / m, made exactly symmetric.
        Blas.Gemm(tier, workers, Transpose.No, Transpose.No, T.One, metric, hth, T.Zero, p);
        Blas.Gemm(tier, workers, Transpose.No, Transpose.No, T.One / T.CreateTruncating(m), p, metric, T.Zero, result);
        T half = T.CreateTruncating(0.5);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                T v = (result[i, j] + result[j, i]) * half;
                result[i, j] = v;
                result[j, i] = v;
            }
        }
    }

    /// <summary>
    /// The AGOP of a metric of low rank r at working precision (M ~ F F^T, F d x r, see <see cref="MetricFactor"/>),
    /// computed in the r mapped coordinates: with X' = X F, the weights come from |z' - x'| (the M-distance to
    /// rounding), H' = H F, and G = M (sum H^T H) M / m = F (sum H'^T H' / m) F^T, which is this same routine
    /// run on X' with the identity metric, then expanded. An RFM's M collapses to a few directions after a few
    /// rounds, so the n^2 c d GEMM of step 3 becomes n^2 c r. False (nothing done) when M is diagonal (the first
    /// round's identity, or a diagonal-M fit), too large to factor, or of rank above d / 2.
    /// </summary>
    static bool TryLowRank<T>(IsaTier tier, int workers, KernelFunction kernel, ReadOnlyMatrixView<T> centers,
        ReadOnlyMatrixView<T> coefficients, ReadOnlyMatrixView<T> metric, ReadOnlySpan<int> pointIndices, MatrixView<T> result,
        bool centerGradients, Span<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = centers.Rows, d = centers.Cols;
        if (d < 8 || d > MetricFactor.MaxFeatures || IsDiagonal(metric))
            return false;
        var dense = new T[d * d];
        for (int i = 0; i < d; i++)
            metric.Row(i).CopyTo(dense.AsSpan(i * d, d));
        double[] f64 = MetricFactor.Compute<T>(dense, d, MetricFactor.Tolerance<T>(d), out int r);
        if (r > d / 2)
            return false;
        if (r == 0)
        {
            // M = 0 at working precision: every gradient is M h = 0.
            for (int i = 0; i < d; i++)
                result.Row(i).Clear();
            return true;
        }
        var f = new T[d * r];
        for (int i = 0; i < f.Length; i++)
            f[i] = T.CreateTruncating(f64[i]);
        var factor = new ReadOnlyMatrixView<T>(f, d, r);
        using var mappedBuf = PooledBuffer<T>.Rent(n * r);
        var mapped = new MatrixView<T>(mappedBuf.Span, n, r);
        Blas.Gemm(tier, workers, Transpose.No, Transpose.No, T.One, centers, factor, T.Zero, mapped);
        var identity = new T[r * r];
        for (int i = 0; i < r; i++)
            identity[i * r + i] = T.One;
        var small = new T[r * r];
        Compute(tier, workers, kernel, mapped, coefficients, new ReadOnlyMatrixView<T>(identity, r, r), pointIndices,
            new MatrixView<T>(small, r, r), centerGradients, workspace);
        // G = F G' F^T, made exactly symmetric.
        var fg = new T[d * r];
        Blas.Gemm(tier, workers, Transpose.No, Transpose.No, T.One, factor, new ReadOnlyMatrixView<T>(small, r, r), T.Zero, new MatrixView<T>(fg, d, r));
        Blas.Gemm(tier, workers, Transpose.No, Transpose.Yes, T.One, new ReadOnlyMatrixView<T>(fg, d, r), factor, T.Zero, result);
        T half = T.CreateTruncating(0.5);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                T v = (result[i, j] + result[j, i]) * half;
                result[i, j] = v;
                result[j, i] = v;
            }
        }
        return true;
    }

    static bool IsDiagonal<T>(ReadOnlyMatrixView<T> metric) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < metric.Rows; i++)
        {
            ReadOnlySpan<T> row = metric.Row(i);
            for (int j = 0; j < row.Length; j++)
                if (i != j && row[j] != T.Zero)
                    return false;
        }
        return true;
    }

    /// <summary>W = phi(r) for the kernel's gradient weight.</summary>
    internal static void Weights<T>(IsaTier tier, int workers, KernelFunction kernel, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> centers, ReadOnlyMatrixView<T> metric, MatrixView<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double l = kernel.Bandwidth;
        if (l <= 0)
            ThrowHelper.Argument(nameof(kernel), "The kernel is default(KernelFunction); create it with KernelFunction.Laplace and the like.");
        switch (kernel.Kind)
        {
            case KernelKind.Laplace:
                PairwiseDriver.Run(tier, workers, new LaplaceGradientWeight<T>(T.CreateTruncating(-1.0 / l)), z, centers, metric, true, w);
                break;
            case KernelKind.Gaussian:
                PairwiseDriver.Run(tier, workers, new GaussianGradientWeight<T>(T.CreateTruncating(-1.0 / (2 * l * l)), T.CreateTruncating(-1.0 / (l * l))),
                    z, centers, metric, true, w);
                break;
            default:
                double q = kernel.Exponent;
                PairwiseDriver.Run(tier, workers, new GeneralizedLaplaceGradientWeight<T>(T.CreateTruncating(1.0 / (l * l)),
                    T.CreateTruncating(q / 2), T.CreateTruncating(-q / (l * l))), z, centers, metric, true, w);
                break;
        }
    }

    static void SubtractColumnMeans<T>(MatrixView<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = h.Rows, d = h.Cols;
        for (int k = 0; k < d; k++)
        {
            T sum = T.Zero;
            for (int j = 0; j < m; j++)
                sum += h[j, k];
            T mean = sum / T.CreateTruncating(m);
            for (int j = 0; j < m; j++)
                h[j, k] -= mean;
        }
    }

    static void Validate<T>(ReadOnlyMatrixView<T> centers, ReadOnlyMatrixView<T> coefficients, ReadOnlyMatrixView<T> metric,
        ReadOnlySpan<int> pointIndices, MatrixView<T> result)
    {
        int n = centers.Rows, d = centers.Cols;
        if (coefficients.Rows != n)
            ThrowHelper.Argument(nameof(coefficients), $"alpha has {coefficients.Rows} rows; there are {n} centers.");
        if (metric.Rows != d || metric.Cols != d)
            ThrowHelper.Argument(nameof(metric), $"M is {metric.Rows} x {metric.Cols}; it must be {d} x {d}.");
        if (result.Rows != d || result.Cols != d)
            ThrowHelper.Argument(nameof(result), $"The result is {result.Rows} x {result.Cols}; it must be {d} x {d}.");
        foreach (int idx in pointIndices)
            if ((uint)idx >= (uint)n)
                ThrowHelper.ArgumentOutOfRange(nameof(pointIndices), $"Point index {idx} is outside the {n} centers.");
        Blas.CheckNoOverlap<T>(result.Data, centers.Data, nameof(centers));
        Blas.CheckNoOverlap<T>(result.Data, coefficients.Data, nameof(coefficients));
        Blas.CheckNoOverlap<T>(result.Data, metric.Data, nameof(metric));
    }
}
