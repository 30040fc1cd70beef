using System;
using System.Collections.Generic;
using System.Numerics;
using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>A fitted RFM classifier: one output per class.</summary>
public sealed class RfmClassifierModel : RfmModel
{
    internal RfmClassifierModel(TreeState<float> state, FittedPreprocessing prep, ClassLabels labels) : base(state, prep) => Labels = labels;

    internal RfmClassifierModel(TreeState<double> state, FittedPreprocessing prep, ClassLabels labels) : base(state, prep) => Labels = labels;

    internal ClassLabels Labels { get; }

    /// <summary>Whether the classes are integers (<see cref="Classes"/>, <see cref="Predict(float[,])"/>); string
    /// classes are read through <see cref="ClassNames"/> and <see cref="PredictLabels(float[,])"/>.</summary>
    public bool HasIntegerLabels => Labels.Ints is not null;

    /// <summary>The integer class labels, in the order of the outputs.</summary>
    /// <exception cref="InvalidOperationException">The model was fitted on string labels: use <see cref="ClassNames"/>.</exception>
    public IReadOnlyList<int> Classes => Labels.Ints ?? throw StringLabels();

    /// <summary>Every class label as a string (integers in invariant culture), in the order of the outputs.</summary>
    public IReadOnlyList<string> ClassNames => Labels.Names;

    static InvalidOperationException StringLabels() =>
        new("The model was fitted on string labels; use ClassNames and PredictLabels.");

    /// <summary>The predicted integer label of each row.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    /// <exception cref="InvalidOperationException">The model was fitted on string labels: use <see cref="PredictLabels(float[,])"/>.</exception>
    public int[] Predict(float[,] x) => IntLabels(Indices(PredictBatch<float, double>(new RowsInput<float>(x), nameof(x))));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(float[][] x) => IntLabels(Indices(PredictBatch<float, double>(new RowsInput<float>(x), nameof(x))));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(ReadOnlySpan2D<float> x) => IntLabels(Indices(PredictBatch<float, double>(new RowsInput<float>(x, true), nameof(x))));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(ReadOnlyMemory2D<float> x) => Predict(x.Span);

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(double[,] x) => IntLabels(Indices(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x))));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(double[][] x) => IntLabels(Indices(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x))));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(ReadOnlySpan2D<double> x) => IntLabels(Indices(PredictBatch<double, double>(new RowsInput<double>(x, true), nameof(x))));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(ReadOnlyMemory2D<double> x) => Predict(x.Span);

    /// <summary>The predicted label of each row as a string (every model has these).</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public string[] PredictLabels(float[,] x) => NameLabels(Indices(PredictBatch<float, double>(new RowsInput<float>(x), nameof(x))));

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(float[][] x) => NameLabels(Indices(PredictBatch<float, double>(new RowsInput<float>(x), nameof(x))));

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(ReadOnlySpan2D<float> x) => NameLabels(Indices(PredictBatch<float, double>(new RowsInput<float>(x, true), nameof(x))));

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(ReadOnlyMemory2D<float> x) => PredictLabels(x.Span);

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(double[,] x) => NameLabels(Indices(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x))));

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(double[][] x) => NameLabels(Indices(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x))));

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(ReadOnlySpan2D<double> x) => NameLabels(Indices(PredictBatch<double, double>(new RowsInput<double>(x, true), nameof(x))));

    /// <inheritdoc cref="PredictLabels(float[,])"/>
    public string[] PredictLabels(ReadOnlyMemory2D<double> x) => PredictLabels(x.Span);

    /// <summary>Class probabilities: the outputs clamped to [1e-3, 1 - 1e-3] and renormalised per row (the
    /// kernel machine's outputs are not probabilities; this is the xRFM convention).</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public float[,] PredictProba(float[,] x) => Probabilities(PredictBatch<float, float>(new RowsInput<float>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public float[,] PredictProba(float[][] x) => Probabilities(PredictBatch<float, float>(new RowsInput<float>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public float[,] PredictProba(ReadOnlySpan2D<float> x) => Probabilities(PredictBatch<float, float>(new RowsInput<float>(x, true), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public float[,] PredictProba(ReadOnlyMemory2D<float> x) => PredictProba(x.Span);

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(double[,] x) => Probabilities(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(double[][] x) => Probabilities(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(ReadOnlySpan2D<double> x) => Probabilities(PredictBatch<double, double>(new RowsInput<double>(x, true), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(ReadOnlyMemory2D<double> x) => PredictProba(x.Span);

    /// <summary>Accuracy of the predicted labels against <paramref name="labels"/> (scikit-learn's <c>score</c>);
    /// a label that is not a class counts as wrong.</summary>
    /// <exception cref="ArgumentException">Shapes that do not agree, or non-finite values.</exception>
    public double Score(float[,] x, int[] labels) => Metrics.Accuracy(labels, Predict(x));

    /// <inheritdoc cref="Score(float[,], int[])"/>
    public double Score(double[,] x, int[] labels) => Metrics.Accuracy(labels, Predict(x));

    /// <inheritdoc cref="Score(float[,], int[])"/>
    public double Score(float[,] x, string[] labels) => Metrics.Accuracy(labels, PredictLabels(x));

    /// <inheritdoc cref="Score(float[,], int[])"/>
    public double Score(double[,] x, string[] labels) => Metrics.Accuracy(labels, PredictLabels(x));

    int[] Indices(double[,] raw)
    {
        int m = raw.GetLength(0), c = Outputs;
        var idx = new int[m];
        var buf = new double[c];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < c; k++)
                buf[k] = raw[i, k];
            idx[i] = RfmTrainer.ArgMax<double>(buf);
        }
        return idx;
    }

    int[] IntLabels(int[] indices)
    {
        int[] ints = Labels.Ints ?? throw StringLabels();
        return Array.ConvertAll(indices, k => ints[k]);
    }

    string[] NameLabels(int[] indices) => Array.ConvertAll(indices, k => Labels.Names[k]);

    T[,] Probabilities<T>(T[,] raw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = raw.GetLength(0), c = Outputs;
        T lo = T.CreateTruncating(1e-3), hi = T.One - lo;
        for (int i = 0; i < m; i++)
        {
            T sum = T.Zero;
            for (int k = 0; k < c; k++)
            {
                raw[i, k] = T.Clamp(raw[i, k], lo, hi);
                sum += raw[i, k];
            }
            for (int k = 0; k < c; k++)
                raw[i, k] /= sum;
        }
        return raw;
    }
}
