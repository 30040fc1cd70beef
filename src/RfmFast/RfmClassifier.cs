using System;
using System.Collections.Generic;
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
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var xd = DenseData.From(x, nameof(x));
        if (labels.Length != xd.Rows)
            throw new ArgumentException($"There are {labels.Length} labels for {xd.Rows} rows.", nameof(labels));
        var classes = new SortedSet<int>(labels);
        if (classes.Count < 2)
            throw new ArgumentException("Classification needs at least two distinct labels.", nameof(labels));
        int[] classLabels = [.. classes];
        var index = new Dictionary<int, int>();
        for (int i = 0; i < classLabels.Length; i++)
            index[classLabels[i]] = i;
        var y = OneHot(labels, index, nameof(labels));
        DenseData? xv = null, yv = null;
        if (xValidation is not null || labelsValidation is not null)
        {
            if (xValidation is null || labelsValidation is null)
                throw new ArgumentException("Validation data needs both features and labels.", xValidation is null ? nameof(xValidation) : nameof(labelsValidation));
            xv = DenseData.From(xValidation, nameof(xValidation));
            if (labelsValidation.Length != xv.Rows)
                throw new ArgumentException($"There are {labelsValidation.Length} validation labels for {xv.Rows} rows.", nameof(labelsValidation));
            yv = OneHot(labelsValidation, index, nameof(labelsValidation));
        }
        var state = RfmTrainer.Fit(xd, y, xv, yv, Options, classification: true, progress, cancellationToken);
        return new RfmClassifierModel(state, classLabels);
    }

    static DenseData OneHot(int[] labels, Dictionary<int, int> index, string paramName)
    {
        int c = index.Count;
        var v = new float[labels.Length * c];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!index.TryGetValue(labels[i], out int k))
                throw new ArgumentException($"Label {labels[i]} (row {i}) is not a training class.", paramName);
            v[i * c + k] = 1;
        }
        return new DenseData(v, labels.Length, c);
    }
}

/// <summary>A fitted RFM classifier: one output per class.</summary>
public sealed class RfmClassifierModel : RfmModel
{
    readonly int[] _classes;

    internal RfmClassifierModel(FitState state, int[] classes) : base(state) => _classes = classes;

    /// <summary>The class labels, in the order of the outputs.</summary>
    public IReadOnlyList<int> Classes => _classes;

    /// <summary>The predicted label of each row.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public int[] Predict(float[,] x)
    {
        float[,] raw = PredictRaw(x);
        int m = raw.GetLength(0), c = Outputs;
        var labels = new int[m];
        var row = new float[c];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < c; k++)
                row[k] = raw[i, k];
            labels[i] = _classes[RfmTrainer.ArgMax(row)];
        }
        return labels;
    }

    /// <summary>Class probabilities: the outputs clamped to [1e-3, 1 - 1e-3] and renormalised per row (the
    /// kernel machine's outputs are not probabilities; this is the xRFM convention).</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or NaN / infinity in the input.</exception>
    public float[,] PredictProba(float[,] x)
    {
        float[,] raw = PredictRaw(x);
        int m = raw.GetLength(0), c = Outputs;
        for (int i = 0; i < m; i++)
        {
            float sum = 0;
            for (int k = 0; k < c; k++)
            {
                raw[i, k] = Math.Clamp(raw[i, k], 1e-3f, 1 - 1e-3f);
                sum += raw[i, k];
            }
            for (int k = 0; k < c; k++)
                raw[i, k] /= sum;
        }
        return raw;
    }
}
