using System;
using System.Collections.Generic;
using System.Numerics;
using CommunityToolkit.HighPerformance;
using System.Threading;

namespace RfmFast;

/// <summary>Fits Recursive Feature Machines for classification: one-hot targets, one output per class,
/// the label is the argmax.</summary>
/// <param name="options">The settings; null means the defaults of <see cref="RfmOptions"/>.</param>
public sealed class RfmClassifier(RfmOptions? options = null)
{
    /// <summary>The settings this estimator fits with.</summary>
    public RfmOptions Options { get; } = options ?? new RfmOptions();

    /// <summary>Fits on (x, labels). Labels are any integers; they are mapped to classes 0..c-1 in
    /// ascending order. Validation labels must be among the training labels.</summary>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="labels">n labels, at least two distinct values.</param>
    /// <param name="xValidation">Optional validation features.</param>
    /// <param name="labelsValidation">Optional validation labels.</param>
    /// <param name="progress">Optional per-phase progress (the score is the validation accuracy).</param>
    /// <param name="cancellationToken">Cancels between phases.</param>
    /// <exception cref="ArgumentException">Empty or non-finite data, a single class, unknown validation labels,
    /// or shapes that do not agree.</exception>
    public RfmClassifierModel Fit(float[,] x, int[] labels, float[,]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), labels, new RowsInput<float>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(double[,] x, int[] labels, double[,]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), labels, new RowsInput<double>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(float[][] x, int[] labels, float[][]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), labels, new RowsInput<float>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(double[][] x, int[] labels, double[][]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), labels, new RowsInput<double>(xValidation), labelsValidation, progress, cancellationToken);

    /// <summary>Fits on rows given as a 2-D span; an empty validation span (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlySpan2D<float> x, int[] labels, ReadOnlySpan2D<float> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x, true), labels, new RowsInput<float>(xValidation, !xValidation.IsEmpty), labelsValidation,
            progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlySpan2D{float}, int[], ReadOnlySpan2D{float}, int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlySpan2D<double> x, int[] labels, ReadOnlySpan2D<double> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x, true), labels, new RowsInput<double>(xValidation, !xValidation.IsEmpty), labelsValidation,
            progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty validation
    /// memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlyMemory2D<float> x, int[] labels, ReadOnlyMemory2D<float> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, labels, xValidation.Span, labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlyMemory2D{float}, int[], ReadOnlyMemory2D{float}, int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlyMemory2D<double> x, int[] labels, ReadOnlyMemory2D<double> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, labels, xValidation.Span, labelsValidation, progress, cancellationToken);

    RfmClassifierModel FitAny<TIn>(RowsInput<TIn> x, int[] labels, RowsInput<TIn> xValidation, int[]? labelsValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        Options.Validate();
        if (Options.Precision == FitPrecision.Float64)
        {
            var (state, classes) = FitIn<double, TIn>(x, labels, xValidation, labelsValidation, progress, ct);
            return new RfmClassifierModel(state, classes);
        }
        else
        {
            var (state, classes) = FitIn<float, TIn>(x, labels, xValidation, labelsValidation, progress, ct);
            return new RfmClassifierModel(state, classes);
        }
    }

    (FitState<T> State, int[] Classes) FitIn<T, TIn>(RowsInput<TIn> x, int[] labels, RowsInput<TIn> xValidation, int[]? labelsValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        var xd = x.Required<T>(nameof(x));
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != xd.Rows)
            throw new ArgumentException($"There are {labels.Length} labels for {xd.Rows} rows.", nameof(labels));
        var classes = new SortedSet<int>(labels);
        if (classes.Count < 2)
            throw new ArgumentException("Classification needs at least two distinct labels.", nameof(labels));
        int[] classLabels = [.. classes];
        var index = new Dictionary<int, int>();
        for (int i = 0; i < classLabels.Length; i++)
            index[classLabels[i]] = i;
        var y = OneHot<T>(labels, index, nameof(labels));
        DenseData<T>? xv = null, yv = null;
        if (!xValidation.IsNone || labelsValidation is not null)
        {
            if (xValidation.IsNone || labelsValidation is null)
                throw new ArgumentException("Validation data needs both features and labels.", xValidation.IsNone ? nameof(xValidation) : nameof(labelsValidation));
            xv = xValidation.Required<T>(nameof(xValidation));
            if (labelsValidation.Length != xv.Rows)
                throw new ArgumentException($"There are {labelsValidation.Length} validation labels for {xv.Rows} rows.", nameof(labelsValidation));
            yv = OneHot<T>(labelsValidation, index, nameof(labelsValidation));
        }
        return (RfmTrainer.Fit(xd, y, xv, yv, Options, classification: true, progress, ct), classLabels);
    }

    static DenseData<T> OneHot<T>(int[] labels, Dictionary<int, int> index, string paramName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = index.Count;
        var v = new T[labels.Length * c];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!index.TryGetValue(labels[i], out int k))
                throw new ArgumentException($"Label {labels[i]} (row {i}) is not a training class.", paramName);
            v[i * c + k] = T.One;
        }
        return new DenseData<T>(v, labels.Length, c);
    }
}

/// <summary>A fitted RFM classifier: one output per class.</summary>
public sealed class RfmClassifierModel : RfmModel
{
    readonly int[] _classes;

    internal RfmClassifierModel(FitState<float> state, int[] classes) : base(state) => _classes = classes;

    internal RfmClassifierModel(FitState<double> state, int[] classes) : base(state) => _classes = classes;

    internal int[] ClassLabels => _classes;

    /// <summary>The class labels, in the order of the outputs.</summary>
    public IReadOnlyList<int> Classes => _classes;

    /// <summary>The predicted label of each row.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public int[] Predict(float[,] x) => Labels(PredictBatch<float, double>(new RowsInput<float>(x), nameof(x)));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(double[,] x) => Labels(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x)));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(float[][] x) => Labels(PredictBatch<float, double>(new RowsInput<float>(x), nameof(x)));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(double[][] x) => Labels(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x)));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(ReadOnlySpan2D<float> x) => Labels(PredictBatch<float, double>(new RowsInput<float>(x, true), nameof(x)));

    /// <inheritdoc cref="Predict(float[,])"/>
    public int[] Predict(ReadOnlySpan2D<double> x) => Labels(PredictBatch<double, double>(new RowsInput<double>(x, true), nameof(x)));

    /// <summary>Class probabilities: the outputs clamped to [1e-3, 1 - 1e-3] and renormalised per row (the
    /// kernel machine's outputs are not probabilities; this is the xRFM convention).</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public float[,] PredictProba(float[,] x) => Probabilities(PredictBatch<float, float>(new RowsInput<float>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(double[,] x) => Probabilities(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public float[,] PredictProba(float[][] x) => Probabilities(PredictBatch<float, float>(new RowsInput<float>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(double[][] x) => Probabilities(PredictBatch<double, double>(new RowsInput<double>(x), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public float[,] PredictProba(ReadOnlySpan2D<float> x) => Probabilities(PredictBatch<float, float>(new RowsInput<float>(x, true), nameof(x)));

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public double[,] PredictProba(ReadOnlySpan2D<double> x) => Probabilities(PredictBatch<double, double>(new RowsInput<double>(x, true), nameof(x)));

    int[] Labels(double[,] raw)
    {
        int m = raw.GetLength(0), c = Outputs;
        var labels = new int[m];
        var row = new double[c];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < c; k++)
                row[k] = raw[i, k];
            labels[i] = _classes[RfmTrainer.ArgMax<double>(row)];
        }
        return labels;
    }

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
