using System;
using System.Numerics;
using RfmFast.Core;
using RfmFast.Core.Kernels;
using RfmFast.Core.Threading;

namespace RfmFast;

/// <summary>The fitted state in its precision, with the centers prepared for single-sample prediction: mapped by
/// the metric's factor F (M ~ F F^T, d x r, r the metric's rank at working precision, see
/// <see cref="MetricFactor"/>) and packed in panels with |x_i F|^2, so a prediction costs r multiply-adds per
/// center. An RFM's M is often of very low rank after a few rounds (3 of 100 after 5 rounds on a 4-direction
/// target), which makes a prediction d / r times cheaper than with X M.</summary>
internal sealed class ModelCore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly PackedCenters<T> _packed;
    // d x r: the factor F (z = x F); or, above MetricFactor.MaxFeatures, M itself (z = x, centers X M).
    readonly T[] _queryMap;
    readonly bool _factored;

    public ModelCore(FitState<T> state)
    {
        State = state;
        int n = state.Centers.Rows, d = state.Centers.Cols;
        int r = d;
        if (d <= MetricFactor.MaxFeatures)
        {
            double[] factor = MetricFactor.Compute<T>(state.Metric, d, MetricFactor.Tolerance<T>(d), out r);
            _queryMap = new T[d * r];
            for (int i = 0; i < _queryMap.Length; i++)
                _queryMap[i] = T.CreateTruncating(factor[i]);
            _factored = true;
        }
        else
        {
            // Too large to factor at load time: distances as |x|_M^2 + |x_i|_M^2 - 2 x . (X M)_i.
            _queryMap = state.Metric;
        }
        Rank = r;
        var mapped = new T[n * r];
        if (r > 0)
        {
            Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, T.One,
                new ReadOnlyMatrixView<T>(state.Centers.Values, n, d), new ReadOnlyMatrixView<T>(_queryMap, d, r), T.Zero,
                new MatrixView<T>(mapped, n, r));
        }
        var norms = new T[n];
        for (int i = 0; i < n; i++)
        {
            // |x_i F|^2, or x_i . (x_i M) unfactored.
            double s = 0;
            ReadOnlySpan<T> xi = state.Centers.Row(i);
            for (int k = 0; k < r; k++)
                s += double.CreateTruncating(mapped[i * r + k]) * double.CreateTruncating(_factored ? mapped[i * r + k] : xi[k]);
            norms[i] = T.CreateTruncating(s);
        }
        _packed = new PackedCenters<T>(mapped, norms, n, r);
    }

    public FitState<T> State { get; }

    /// <summary>The number of metric directions a single-sample prediction uses (the rank of M at working precision;
    /// d when M is too large to factor).</summary>
    public int Rank { get; }

    /// <summary>One prediction into <paramref name="output"/> (length c); pooled scratch, no allocation. With
    /// <paramref name="share"/>, a large one shares its chunks of centers with a helper thread.</summary>
    public unsafe void Predict(ReadOnlySpan<T> sample, Span<T> output, bool share)
    {
        int d = State.Centers.Cols, n = State.Centers.Rows, c = State.Outputs, r = Rank;
        int padded = (n + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        int partials = KernelPredict.Chunks(n) * c;
        using var scratch = PooledBuffer<T>.Rent(padded + partials + r);
        fixed (T* px = sample, pa = State.Alpha, po = output, ps = scratch.Span, pf = _queryMap)
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
            KernelPredict.Predict(Isa.Best, State.Kernel, _packed, z, T.CreateTruncating(zNorm), pa, c, po, ps, share);
        }
    }
}
