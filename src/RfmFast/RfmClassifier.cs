using System;
using System.Numerics;
using System.Threading;
using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>Fits Recursive Feature Machines for classification: one output per class (one-hot targets), the
/// label is the argmax. Labels are integers or strings.</summary>
/// <param name="options">The settings; null means the defaults of <see cref="RfmOptions"/>.</param>
public sealed class RfmClassifier(RfmOptions? options = null)
{
    /// <summary>The settings this estimator fits with.</summary>
    public RfmOptions Options { get; } = options ?? new RfmOptions();

    /// <summary>Fits on (x, labels). The distinct labels become the classes, in ascending order (ordinal for
    /// strings). Validation labels must be among the training labels.</summary>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="labels">n labels, at least two distinct values.</param>
    /// <param name="xValidation">Optional validation features.</param>
    /// <param name="labelsValidation">Optional validation labels.</param>
    /// <param name="progress">Optional per-phase progress (the score is the validation accuracy).</param>
    /// <param name="cancellationToken">Cancels between phases.</param>
    /// <exception cref="ArgumentException">Empty or non-finite data, a single class, unknown validation labels,
    /// or shapes that do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Not even the plain kernel (iteration 0) could be fitted.</exception>
    public RfmClassifierModel Fit(float[,] x, int[] labels, float[,]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), labels, new RowsInput<float>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(float[][] x, int[] labels, float[][]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), labels, new RowsInput<float>(xValidation), labelsValidation, progress, cancellationToken);

    /// <summary>Fits on rows given as a 2-D span; an empty validation span (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlySpan2D<float> x, int[] labels, ReadOnlySpan2D<float> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x, true), labels, new RowsInput<float>(xValidation, !xValidation.IsEmpty), labelsValidation,
            progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty validation
    /// memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlyMemory2D<float> x, int[] labels, ReadOnlyMemory2D<float> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, labels, xValidation.Span, labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(double[,] x, int[] labels, double[,]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), labels, new RowsInput<double>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(double[][] x, int[] labels, double[][]? xValidation = null, int[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), labels, new RowsInput<double>(xValidation), labelsValidation, progress, cancellationToken);

    /// <summary>Fits on rows given as a 2-D span; an empty validation span (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlySpan2D<double> x, int[] labels, ReadOnlySpan2D<double> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x, true), labels, new RowsInput<double>(xValidation, !xValidation.IsEmpty), labelsValidation,
            progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty validation
    /// memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlyMemory2D<double> x, int[] labels, ReadOnlyMemory2D<double> xValidation = default,
        int[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, labels, xValidation.Span, labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(float[,] x, string[] labels, float[,]? xValidation = null, string[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), labels, new RowsInput<float>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(float[][] x, string[] labels, float[][]? xValidation = null, string[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), labels, new RowsInput<float>(xValidation), labelsValidation, progress, cancellationToken);

    /// <summary>Fits on rows given as a 2-D span; an empty validation span (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlySpan2D<float> x, string[] labels, ReadOnlySpan2D<float> xValidation = default,
        string[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x, true), labels, new RowsInput<float>(xValidation, !xValidation.IsEmpty), labelsValidation,
            progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty validation
    /// memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlyMemory2D<float> x, string[] labels, ReadOnlyMemory2D<float> xValidation = default,
        string[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, labels, xValidation.Span, labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(double[,] x, string[] labels, double[,]? xValidation = null, string[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), labels, new RowsInput<double>(xValidation), labelsValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(double[][] x, string[] labels, double[][]? xValidation = null, string[]? labelsValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), labels, new RowsInput<double>(xValidation), labelsValidation, progress, cancellationToken);

    /// <summary>Fits on rows given as a 2-D span; an empty validation span (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlySpan2D<double> x, string[] labels, ReadOnlySpan2D<double> xValidation = default,
        string[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x, true), labels, new RowsInput<double>(xValidation, !xValidation.IsEmpty), labelsValidation,
            progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty validation
    /// memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], int[], float[,], int[], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmClassifierModel Fit(ReadOnlyMemory2D<double> x, string[] labels, ReadOnlyMemory2D<double> xValidation = default,
        string[]? labelsValidation = null, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, labels, xValidation.Span, labelsValidation, progress, cancellationToken);

    RfmClassifierModel FitAny<TIn, TLabel>(RowsInput<TIn> x, TLabel[] labels, RowsInput<TIn> xValidation, TLabel[]? labelsValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where TLabel : notnull
    {
        Options.Validate();
        var raw = x.Required<double>(nameof(x));
        var rawV = xValidation.ToDense<double>(nameof(xValidation));
        var (classes, codes) = ClassLabels.Learn(labels, nameof(labels));
        var targets = new EstimatorFit.Targets(null, codes, classes.Count, nameof(labels));
        EstimatorFit.Targets? vTargets = labelsValidation is null ? null
            : new EstimatorFit.Targets(null, classes.Codes(labelsValidation, nameof(labelsValidation)), classes.Count, nameof(labelsValidation));
        RfmClassifierModel model;
        if (Options.Precision == FitPrecision.Float64)
        {
            var (state, prep) = EstimatorFit.Fit<double>(Options, raw, targets, rawV, vTargets, progress, ct);
            model = new RfmClassifierModel(state, prep, classes);
        }
        else
        {
            var (state, prep) = EstimatorFit.Fit<float>(Options, raw, targets, rawV, vTargets, progress, ct);
            model = new RfmClassifierModel(state, prep, classes);
        }
        model.MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism;
        return model;
    }
}
