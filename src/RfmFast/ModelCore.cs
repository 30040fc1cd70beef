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
    readonly T[] _factor;

    public ModelCore(FitState<T> state)
    {
        State = state;
        int n = state.Centers.Rows, d = state.Centers.Cols;
        double[] factor = MetricFactor.Compute<T>(state.Metric, d, MetricFactor.Tolerance<T>(d), out int r);
        Rank = r;
        _factor = new T[d * r];
        for (int i = 0; i < _factor.Length; i++)
            _factor[i] = T.CreateTruncating(factor[i]);
        var mapped = new T[n * r];
        if (r > 0)
        {
            Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, T.One,
                new ReadOnlyMatrixView<T>(state.Centers.Values, n, d), new ReadOnlyMatrixView<T>(_factor, d, r), T.Zero,
                new MatrixView<T>(mapped, n, r));
        }
        var norms = new T[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < r; k++)
                s += double.CreateTruncating(mapped[i * r + k]) * double.CreateTruncating(mapped[i * r + k]);
            norms[i] = T.CreateTruncating(s);
        }
        _packed = new PackedCenters<T>(mapped, norms, n, r);
    }

    public FitState<T> State { get; }

    /// <summary>The number of metric directions a single-sample prediction uses (the rank of M at working precision).</summary>
    public int Rank { get; }

    /// <summary>Batch predictions, rows x c, row-major.</summary>
    public T[] Predict(DenseData<T> q) =>
        RfmTrainer.Predict(State.Centers, State.Alpha, State.Outputs, State.Metric, State.Kernel, q);

    /// <summary>One prediction into <paramref name="output"/> (length c); pooled scratch, no allocation. With
    /// <paramref name="share"/>, a large one shares its chunks of centers with a helper thread.</summary>
    public unsafe void Predict(ReadOnlySpan<T> sample, Span<T> output, bool share)
    {
        int d = State.Centers.Cols, n = State.Centers.Rows, c = State.Outputs, r = Rank;
        int padded = (n + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        int partials = KernelPredict.Chunks(n) * c;
        using var scratch = PooledBuffer<T>.Rent(padded + partials + r);
        fixed (T* px = sample, pa = State.Alpha, po = output, ps = scratch.Span, pf = _factor)
        {
            // z = x F and |z|^2 = x^T M x; the packed centers hold X F.
            T* z = ps + padded + partials;
            double zNorm = KernelPredict.MapQuery(Isa.Best, px, pf, d, r, z);
            KernelPredict.Predict(Isa.Best, State.Kernel, _packed, z, T.CreateTruncating(zNorm), pa, c, po, ps, share);
        }
    }
}
