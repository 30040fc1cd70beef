using System;
using System.Collections.Generic;
using RfmFast.Core;
using RfmFast.Core.Kernels;

namespace RfmFast;

/// <summary>
/// A fitted Recursive Feature Machine: f(x) = sum_i alpha_i k(|x - x_i|_M) over the training points x_i.
/// Immutable and safe for concurrent predictions.
/// </summary>
public class RfmModel
{
    readonly FitState _state;
    readonly PackedCenters<float> _packed;

    internal RfmModel(FitState state)
    {
        _state = state;
        int n = state.Centers.Rows, d = state.Centers.Cols;
        Kernel = state.Kernel;
        // XM = X M and |x_i|_M^2 once, so a single prediction costs one multiply-add per center and feature.
        var centersM = new float[n * d];
        Blas.Gemm(Transpose.No, Transpose.No, 1f, new ReadOnlyMatrixView<float>(state.Centers.Values, n, d),
            new ReadOnlyMatrixView<float>(state.Metric, d, d), 0f, new MatrixView<float>(centersM, n, d));
        var norms = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            ReadOnlySpan<float> xi = state.Centers.Row(i);
            for (int k = 0; k < d; k++)
                s += (double)xi[k] * centersM[i * d + k];
            norms[i] = (float)s;
        }
        _packed = new PackedCenters<float>(centersM, norms, n, d);
    }

    /// <summary>The kernel, with the bandwidth actually used (after the adaptive rule, if any).</summary>
    public KernelFunction Kernel { get; }

    /// <summary>The number of input features d.</summary>
    public int Features => _state.Centers.Cols;

    /// <summary>The number of outputs c.</summary>
    public int Outputs => _state.Outputs;

    /// <summary>The number of centers (training points) n.</summary>
    public int Centers => _state.Centers.Rows;

    /// <summary>The iteration whose feature matrix the model uses (0: the plain kernel).</summary>
    public int BestIteration => _state.BestIteration;

    /// <summary>What every iteration of the fit did: validation score, time, solve report.</summary>
    public IReadOnlyList<RfmIteration> History => _state.History;

    /// <summary>The learned feature matrix M (d x d), a copy.</summary>
    public float[,] FeatureMatrix()
    {
        int d = Features;
        var m = new float[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i, j] = _state.Metric[i * d + j];
        return m;
    }

    /// <summary>The diagonal of M: how much the learned metric weighs each feature.</summary>
    public float[] FeatureImportances()
    {
        int d = Features;
        var v = new float[d];
        for (int i = 0; i < d; i++)
            v[i] = _state.Metric[i * d + i];
        return v;
    }

    /// <summary>The raw outputs f(x) for a batch (rows of <paramref name="x"/>), n_rows x c.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public float[,] PredictRaw(float[,] x)
    {
        var q = DenseData.From(x, nameof(x), allowEmpty: true);
        CheckFeatures(q.Cols, nameof(x));
        float[] flat = RfmTrainer.Predict(_state.Centers, _state.Alpha, Outputs, _state.Metric, Kernel, q);
        var r = new float[q.Rows, Outputs];
        Buffer.BlockCopy(flat, 0, r, 0, flat.Length * sizeof(float));
        return r;
    }

    /// <summary>The raw outputs for one sample, into <paramref name="output"/> (length c). Allocates nothing.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, or a non-finite feature.</exception>
    public unsafe void PredictRaw(ReadOnlySpan<float> sample, Span<float> output)
    {
        int d = Features, n = Centers, c = Outputs;
        if (sample.Length != d)
            throw new ArgumentException($"The sample has {sample.Length} features; the model has {d}.", nameof(sample));
        if (output.Length < c)
            throw new ArgumentException($"The output has room for {output.Length} values; the model has {c} outputs.", nameof(output));
        foreach (float f in sample)
            if (!float.IsFinite(f))
                throw new ArgumentException("The sample must be finite.", nameof(sample));
        int padded = (n + PackedCenters<float>.Panel - 1) / PackedCenters<float>.Panel * PackedCenters<float>.Panel;
        using var scratch = PooledBuffer<float>.Rent(padded + d);
        fixed (float* px = sample, pa = _state.Alpha, po = output, ps = scratch.Span, pm = _state.Metric)
        {
            // x^T M x (x M goes to scratch); the packed centers already hold X M, so the cross terms take x itself.
            double xNorm = KernelPredict.TransformQuery(Isa.Best, px, pm, d, ps + padded);
            KernelPredict.Predict(Isa.Best, Kernel, _packed, px, (float)xNorm, pa, c, po, ps);
        }
    }

    internal void CheckFeatures(int cols, string paramName)
    {
        if (cols != Features)
            throw new ArgumentException($"The data has {cols} features; the model was fitted on {Features}.", paramName);
    }
}
