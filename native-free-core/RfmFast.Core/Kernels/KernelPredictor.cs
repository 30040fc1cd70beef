using System;
using System.Numerics;
using RfmFast.Core.Kernels;

namespace RfmFast.Core;

/// <summary>
/// A fitted kernel predictor f(x) = sum_i alpha_i k(|x - x_i|_M) prepared for single-sample prediction: built once
/// from the centers X (n x d), the coefficients alpha (n x c), the metric M (d x d) and the kernel, then called
/// for one sample at a time, with no allocation per call, from any number of threads.
/// </summary>
/// <remarks>
/// <para>At construction M is factored, M ~ F F^T with F d x r, keeping only the eigen-directions that matter at
/// working precision (the dropped tail of eigenvalues sums to at most d u of the largest, u the unit roundoff:
/// below the rounding of the distance itself). The centers are stored as X F, packed in panels with
/// |x_i F|^2 alongside, so a prediction costs r multiply-adds per center instead of d. An RFM's M is usually of
/// very low rank after a few rounds, which makes this d / r times cheaper than X M. Metrics larger than
/// <see cref="MaxFactoredFeatures"/> are not factored (their eigendecomposition would dominate the construction):
/// the centers are stored as X M and r = d.</para>
/// <para>A large prediction (centers x rank at least 2^18) may share its centers with helper threads, up to the
/// worker count given at construction; a helper then keeps watching for the next prediction for about 2 ms (one
/// core busy). The result is the same either way.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class KernelPredictor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly PackedCenters<T> _packed;
    // d x r: the factor F (z = x F); or, unfactored, M itself (d x d; the centers are X M and z = x).
    readonly T[] _queryMap;
    readonly T[] _alpha;
    readonly bool _factored;
    readonly int _workers;

    /// <summary>Factors the metric and packs the centers.</summary>
    /// <param name="centers">X, n x d: the predictor's centers.</param>
    /// <param name="coefficients">alpha, n x c: the coefficients of each output.</param>
    /// <param name="metric">M, d x d, symmetric positive semidefinite (it is symmetrized).</param>
    /// <param name="kernel">The kernel k of the distance.</param>
    /// <param name="workers">Threads for the construction's products, and the most a prediction shares with (see
    /// <see cref="Parallelism.DefaultWorkers"/>); at least 1.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, the metric has a value that is not finite, or
    /// the kernel is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public KernelPredictor(ReadOnlyMatrixView<T> centers, ReadOnlyMatrixView<T> coefficients, ReadOnlyMatrixView<T> metric,
        KernelFunction kernel, int workers)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            ThrowHelper.NotSupportedElementType(typeof(T));
        int n = centers.Rows, d = centers.Cols, c = coefficients.Cols;
        if (coefficients.Rows != n)
            ThrowHelper.Argument(nameof(coefficients), $"The coefficients have {coefficients.Rows} rows; there are {n} centers.");
        if (metric.Rows != d || metric.Cols != d)
            ThrowHelper.Argument(nameof(metric), $"M is {metric.Rows} x {metric.Cols}; it must be {d} x {d}.");
        if (!(kernel.Bandwidth > 0))
            ThrowHelper.Argument(nameof(kernel), "The kernel is default(KernelFunction); create it with KernelFunction.Laplace and the like.");
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);

        Centers = n;
        Features = d;
        Outputs = c;
        Kernel = kernel;
        _workers = workers;
        _alpha = Dense(coefficients);
        T[] m = Dense(metric);
        int r = d;
        if (d <= MaxFactoredFeatures)
        {
            double[] factor = MetricFactor.Compute<T>(m, d, MetricFactor.Tolerance<T>(d), out r);
            _queryMap = new T[d * r];
            for (int i = 0; i < _queryMap.Length; i++)
                _queryMap[i] = T.CreateTruncating(factor[i]);
            _factored = true;
        }
        else
        {
            // Too large to factor: distances as |x|_M^2 + |x_i|_M^2 - 2 x . (X M)_i.
            _queryMap = m;
        }
        Rank = r;
        var mapped = new T[n * r];
        if (r > 0 && n > 0)
        {
            Blas.Gemm(Isa.Best, workers, Transpose.No, Transpose.No, T.One, centers, new ReadOnlyMatrixView<T>(_queryMap, d, r), T.Zero,
                new MatrixView<T>(mapped, n, r));
        }
        var norms = new T[n];
        for (int i = 0; i < n; i++)
        {
            // |x_i F|^2, or x_i . (x_i M) unfactored; in double, as the query's norm is.
            double s = 0;
            ReadOnlySpan<T> xi = centers.Row(i);
            for (int k = 0; k < r; k++)
                s += double.CreateTruncating(mapped[i * r + k]) * double.CreateTruncating(_factored ? mapped[i * r + k] : xi[k]);
            norms[i] = T.CreateTruncating(s);
        }
        _packed = new PackedCenters<T>(mapped, norms, n, r);
    }

    /// <summary>Metrics of at most this many features are factored at construction; larger ones are used as they are.</summary>
    public static int MaxFactoredFeatures => MetricFactor.MaxFeatures;

    /// <summary>n, the number of centers.</summary>
    public int Centers { get; }

    /// <summary>d, the length of a sample.</summary>
    public int Features { get; }

    /// <summary>c, the number of outputs of a prediction.</summary>
    public int Outputs { get; }

    /// <summary>The kernel.</summary>
    public KernelFunction Kernel { get; }

    /// <summary>The number of metric directions a prediction uses: the rank of M at working precision, or d when M is
    /// larger than <see cref="MaxFactoredFeatures"/>.</summary>
    public int Rank { get; }

    /// <summary>output = f(sample): one prediction, with no allocation (scratch comes from the core's pool). Safe to
    /// call from many threads at once.</summary>
    /// <param name="sample">One sample, d values.</param>
    /// <param name="output">Receives the c outputs (its first c elements are written).</param>
    /// <param name="share">Whether a large prediction may share its centers with helper threads (as many as the
    /// predictor's workers allow); false keeps it on the calling thread. Same result either way.</param>
    /// <exception cref="ArgumentException">The sample does not have d values, or the output has fewer than c.</exception>
    public unsafe void Predict(ReadOnlySpan<T> sample, Span<T> output, bool share = true)
    {
        int d = Features, n = Centers, c = Outputs, r = Rank;
        if (sample.Length != d)
            ThrowHelper.Argument(nameof(sample), $"The sample has {sample.Length} values; the predictor takes {d}.");
        if (output.Length < c)
            ThrowHelper.Argument(nameof(output), $"The output has room for {output.Length} values; the predictor writes {c}.");
        int padded = (n + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        int partials = KernelPredict.Chunks(n) * c;
        using var scratch = PooledBuffer<T>.Rent(padded + partials + r);
        fixed (T* px = sample, pa = _alpha, po = output, ps = scratch.Span, pf = _queryMap)
        {
            // z = x F and |z|^2 = x^T M x against centers X F; unfactored, x against X M with x^T M x.
            T* xm = ps + padded + partials;
            double zNorm = KernelPredict.MapQuery(Isa.Best, px, pf, d, r, xm);
            T* z = xm;
            if (!_factored)
            {
                zNorm = 0;
                for (int j = 0; j < d; j++)
                    zNorm += double.CreateTruncating(px[j]) * double.CreateTruncating(xm[j]);
                z = px;
            }
            KernelPredict.Predict(Isa.Best, Kernel, _packed, z, T.CreateTruncating(zNorm), pa, c, po, ps, share ? _workers : 1);
        }
    }

    /// <summary>A contiguous row-major copy of a view (the caller's buffer may change after construction).</summary>
    static T[] Dense(ReadOnlyMatrixView<T> view)
    {
        var copy = new T[view.Rows * view.Cols];
        for (int i = 0; i < view.Rows; i++)
            view.Row(i).CopyTo(copy.AsSpan(i * view.Cols, view.Cols));
        return copy;
    }
}
