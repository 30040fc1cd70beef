using System;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The fitted state in its precision, with the core's <see cref="KernelPredictor{T}"/> built from it for
/// single-sample prediction: the metric factored at working precision (M ~ F F^T, d x r) and the centers packed as
/// X F, so a prediction costs r multiply-adds per center. An RFM's M is often of very low rank after a few rounds
/// (3 of 100 after 5 rounds on a 4-direction target), which makes a prediction d / r times cheaper than with X M.</summary>
internal sealed class ModelCore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly KernelPredictor<T> _predictor;

    public ModelCore(FitState<T> state)
    {
        State = state;
        int n = state.Centers.Rows, d = state.Centers.Cols;
        _predictor = new KernelPredictor<T>(
            new ReadOnlyMatrixView<T>(state.Centers.Values, n, d),
            new ReadOnlyMatrixView<T>(state.Alpha, n, state.Outputs),
            new ReadOnlyMatrixView<T>(state.Metric, d, d),
            state.Kernel,
            Parallelism.DefaultWorkers);
    }

    public FitState<T> State { get; }

    /// <summary>The number of metric directions a single-sample prediction uses (the rank of M at working precision;
    /// d when M is too large to factor).</summary>
    public int Rank => _predictor.Rank;

    /// <summary>One prediction into <paramref name="output"/> (length c); pooled scratch, no allocation. With
    /// <paramref name="share"/>, a large one shares its chunks of centers with a helper thread.</summary>
    public void Predict(ReadOnlySpan<T> sample, Span<T> output, bool share) => _predictor.Predict(sample, output, share);
}
