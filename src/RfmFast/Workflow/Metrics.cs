using System;
using System.Collections.Generic;
using System.Numerics;

namespace RfmFast;

/// <summary>Scores of predictions against the truth, accumulated in double.</summary>
public static class Metrics
{
    /// <summary>The fraction of rows whose predicted label equals the true one.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static double Accuracy<TLabel>(ReadOnlySpan<TLabel> truth, ReadOnlySpan<TLabel> predicted) where TLabel : IEquatable<TLabel>
    {
        CheckLengths(truth.Length, predicted.Length);
        int correct = 0;
        for (int i = 0; i < truth.Length; i++)
            if (EqualityComparer<TLabel>.Default.Equals(truth[i], predicted[i]))
                correct++;
        return (double)correct / truth.Length;
    }

    /// <summary>Mean squared error.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, or a value is not finite.</exception>
    public static double MeanSquaredError<T>(ReadOnlySpan<T> truth, ReadOnlySpan<T> predicted) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(truth.Length, predicted.Length);
        double s = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double e = Finite(predicted[i], nameof(predicted)) - Finite(truth[i], nameof(truth));
            s += e * e;
        }
        return s / truth.Length;
    }

    /// <summary>Root mean squared error, in the target's units.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, or a value is not finite.</exception>
    public static double RootMeanSquaredError<T>(ReadOnlySpan<T> truth, ReadOnlySpan<T> predicted) where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.Sqrt(MeanSquaredError(truth, predicted));

    /// <summary>The coefficient of determination R^2 = 1 - SSE / SST, SST about the mean of
    /// <paramref name="truth"/>; NaN when the truth is constant.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, or a value is not finite.</exception>
    public static double R2<T>(ReadOnlySpan<T> truth, ReadOnlySpan<T> predicted) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(truth.Length, predicted.Length);
        double mean = 0;
        for (int i = 0; i < truth.Length; i++)
            mean += Finite(truth[i], nameof(truth));
        mean /= truth.Length;
        double sse = 0, sst = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double t = double.CreateTruncating(truth[i]), e = Finite(predicted[i], nameof(predicted)) - t;
            sse += e * e;
            sst += (t - mean) * (t - mean);
        }
        return sst > 0 ? 1 - sse / sst : double.NaN;
    }

    /// <summary>The mean negative log-likelihood of the true classes: -mean log p[i, class of truth[i]], each
    /// probability clipped to [1e-15, 1] first (as scikit-learn does).</summary>
    /// <param name="truth">The true class of each row, as an index into the columns of <paramref name="probabilities"/>
    /// (for a model: its position in <see cref="RfmClassifierModel.ClassNames"/>).</param>
    /// <param name="probabilities">Rows x classes, for example <see cref="RfmClassifierModel.PredictProba(float[,])"/>.</param>
    /// <exception cref="ArgumentException">Shapes that do not agree, a class index out of range, or a non-finite probability.</exception>
    public static double LogLoss<T>(int[] truth, T[,] probabilities) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(probabilities);
        CheckLengths(truth.Length, probabilities.GetLength(0));
        int c = probabilities.GetLength(1);
        double s = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= (uint)c)
                throw new ArgumentException($"truth[{i}] = {truth[i]} is not a class index in 0..{c - 1}.", nameof(truth));
            double p = Finite(probabilities[i, truth[i]], nameof(probabilities));
            s -= Math.Log(Math.Clamp(p, 1e-15, 1));
        }
        return s / truth.Length;
    }

    static void CheckLengths(int truth, int predicted)
    {
        if (truth != predicted)
            throw new ArgumentException($"{truth} true values for {predicted} predictions.", nameof(predicted));
        if (truth == 0)
            throw new ArgumentException("No rows to score.", nameof(truth));
    }

    static double Finite<T>(T v, string paramName) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsFinite(v) ? double.CreateTruncating(v) : throw new ArgumentException($"{paramName} holds {v}; scores need finite values.", paramName);
}
