using System;
using System.Numerics;
using RfmFast.Core;
using RfmFast.Core.Kernels;
using RfmFast.Core.Threading;

namespace RfmFast;

/// <summary>The fitted state in its precision, with the centers prepared for single-sample prediction
/// (X M packed in panels, |x_i|_M^2), so a prediction costs one multiply-add per center and feature.</summary>
internal sealed class ModelCore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly PackedCenters<T> _packed;

    public ModelCore(FitState<T> state)
    {
        State = state;
        int n = state.Centers.Rows, d = state.Centers.Cols;
        var centersM = new T[n * d];
        Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, T.One,
            new ReadOnlyMatrixView<T>(state.Centers.Values, n, d), new ReadOnlyMatrixView<T>(state.Metric, d, d), T.Zero,
            new MatrixView<T>(centersM, n, d));
        var norms = new T[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            ReadOnlySpan<T> xi = state.Centers.Row(i);
            for (int k = 0; k < d; k++)
                s += double.CreateTruncating(xi[k]) * double.CreateTruncating(centersM[i * d + k]);
            norms[i] = T.CreateTruncating(s);
        }
        _packed = new PackedCenters<T>(centersM, norms, n, d);
    }

    public FitState<T> State { get; }

    /// <summary>Batch predictions, rows x c, row-major.</summary>
    public T[] Predict(DenseData<T> q) =>
        RfmTrainer.Predict(State.Centers, State.Alpha, State.Outputs, State.Metric, State.Kernel, q);

    /// <summary>One prediction into <paramref name="output"/> (length c); pooled scratch, no allocation.</summary>
    public unsafe void Predict(ReadOnlySpan<T> sample, Span<T> output)
    {
        int d = State.Centers.Cols, n = State.Centers.Rows;
        int padded = (n + PackedCenters<T>.Panel - 1) / PackedCenters<T>.Panel * PackedCenters<T>.Panel;
        using var scratch = PooledBuffer<T>.Rent(padded + d);
        fixed (T* px = sample, pa = State.Alpha, po = output, ps = scratch.Span, pm = State.Metric)
        {
            // x^T M x (x M goes to scratch); the packed centers already hold X M, so the cross terms take x itself.
            double xNorm = KernelPredict.TransformQuery(Isa.Best, px, pm, d, ps + padded);
            KernelPredict.Predict(Isa.Best, State.Kernel, _packed, px, T.CreateTruncating(xNorm), pa, State.Outputs, po, ps);
        }
    }
}
