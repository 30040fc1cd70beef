using System;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The next feature matrix from the fitted predictor: its AGOP, restricted to the diagonal and
/// normalised as the options say.</summary>
internal static class MetricUpdate
{
    public static T[] Next<T>(KernelFunction kernel, DenseData<T> x, T[] alpha, int c, T[] metric, int[] sample, RfmOptions o,
        Span<T> workspace, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        var g = new T[d * d];
        Agop.Compute(workers, kernel, new ReadOnlyMatrixView<T>(x.Values, n, d), new ReadOnlyMatrixView<T>(alpha, n, c),
            new ReadOnlyMatrixView<T>(metric, d, d), sample, new MatrixView<T>(g, d, d), o.CenterGradients, workspace);
        if (o.DiagonalMetric)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    if (i != j)
                        g[i * d + j] = T.Zero;
        if (o.Normalization == MetricNormalization.MaxEntry)
        {
            T max = T.Zero;
            foreach (T v in g)
                max = T.Max(max, T.Abs(v));
            if (max > T.Zero)
                for (int i = 0; i < g.Length; i++)
                    g[i] /= max;
        }
        if (!Array.TrueForAll(g, T.IsFinite))
            throw new IterationFailedException("the AGOP is not finite");
        return g;
    }

    public static T[] Identity<T>(int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new T[d * d];
        for (int i = 0; i < d; i++)
            m[i * d + i] = T.One;
        return m;
    }

    /// <summary>A caller's M (<see cref="RfmOptions.Metric"/>) in precision T, checked: d x d, finite, symmetric
    /// to rounding.</summary>
    public static T[] Given<T>(double[,] m, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m.GetLength(0) != d || m.GetLength(1) != d)
            throw new ArgumentException($"The given metric is {m.GetLength(0)} x {m.GetLength(1)}; the (preprocessed) data has {d} features.", nameof(RfmOptions.Metric));
        double scale = 0;
        foreach (double v in m)
        {
            if (!double.IsFinite(v))
                throw new ArgumentException("The given metric must be finite.", nameof(RfmOptions.Metric));
            scale = Math.Max(scale, Math.Abs(v));
        }
        var r = new T[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                if (Math.Abs(m[i, j] - m[j, i]) > 1e-6 * scale)
                    throw new ArgumentException($"The given metric is not symmetric (entries [{i}, {j}] and [{j}, {i}]).", nameof(RfmOptions.Metric));
                r[i * d + j] = T.CreateTruncating(0.5 * (m[i, j] + m[j, i]));
            }
        }
        return r;
    }
}
