using System;
using System.Collections.Generic;
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

    /// <summary>The tree fit as independent jobs: learns the classes and the preprocessing, grows the splits (as
    /// <c>Fit</c> would, whatever <see cref="TreeOptions.Mode"/> says) and writes to <paramref name="directory"/> a
    /// plan and one shard per leaf. Fit each shard anywhere with <see cref="RfmTreeJobs.FitLeaf"/>, then join the
    /// leaves with <see cref="RfmTreeJobs.Assemble"/>: the model predicts exactly what <c>Fit</c> with the same options
    /// and data builds on the same kind of machine.</summary>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="labels">The class of each row.</param>
    /// <param name="directory">The folder to write plan.rfmplan and shard-NNNN.rfmshard to (created if needed).</param>
    /// <param name="xValidation">Optional validation features (empty: none).</param>
    /// <param name="labelsValidation">Optional validation labels.</param>
    /// <param name="featureNames">Optional names of the d features, kept with the model.</param>
    /// <param name="targetName">Optional name of the label column, kept with the model.</param>
    /// <param name="progress">Optional progress of the splits.</param>
    /// <param name="cancellationToken">Cancels between splits and shards.</param>
    /// <returns>The shard files, one per leaf, left to right.</returns>
    /// <exception cref="ArgumentException">Bad data or labels, as for Fit, or feature names that do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IReadOnlyList<string> PlanTree(ReadOnlySpan2D<float> x, string[] labels, string directory, ReadOnlySpan2D<float> xValidation = default,
        string[]? labelsValidation = null, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        PlanAny(new RowsInput<float>(x, true), labels, directory, new RowsInput<float>(xValidation, !xValidation.IsEmpty), labelsValidation, featureNames,
            targetName, progress, cancellationToken);

    /// <inheritdoc cref="PlanTree(ReadOnlySpan2D{float}, string[], string, ReadOnlySpan2D{float}, string[], IReadOnlyList{string}, string, IProgress{RfmProgress}, CancellationToken)"/>
    public IReadOnlyList<string> PlanTree(ReadOnlySpan2D<float> x, int[] labels, string directory, ReadOnlySpan2D<float> xValidation = default,
        int[]? labelsValidation = null, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        PlanAny(new RowsInput<float>(x, true), labels, directory, new RowsInput<float>(xValidation, !xValidation.IsEmpty), labelsValidation, featureNames,
            targetName, progress, cancellationToken);

    string[] PlanAny<TLabel>(RowsInput<float> x, TLabel[] labels, string directory, RowsInput<float> xValidation, TLabel[]? labelsValidation,
        IReadOnlyList<string>? featureNames, string? targetName, IProgress<RfmProgress>? progress, CancellationToken ct)
        where TLabel : notnull
    {
        var (raw, rawV, classes, targets, vTargets) = Inputs(x, labels, xValidation, labelsValidation);
        return Options.Precision == FitPrecision.Float64
            ? EstimatorFit.Plan<double>(Options, raw, targets, rawV, vTargets, classes, directory, featureNames, targetName, progress, ct)
            : EstimatorFit.Plan<float>(Options, raw, targets, rawV, vTargets, classes, directory, featureNames, targetName, progress, ct);
    }

    /// <summary>The options checked, then the caller's rows in double (validated, copied) and the classes learned
    /// from the labels, as the fit and the plan both start.</summary>
    (DenseData<double> Raw, DenseData<double>? RawV, ClassLabels Classes, EstimatorFit.Targets Targets, EstimatorFit.Targets? VTargets)
        Inputs<TIn, TLabel>(RowsInput<TIn> x, TLabel[] labels, RowsInput<TIn> xValidation, TLabel[]? labelsValidation)
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
        return (raw, rawV, classes, targets, vTargets);
    }

    RfmClassifierModel FitAny<TIn, TLabel>(RowsInput<TIn> x, TLabel[] labels, RowsInput<TIn> xValidation, TLabel[]? labelsValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where TLabel : notnull
    {
        var (raw, rawV, classes, targets, vTargets) = Inputs(x, labels, xValidation, labelsValidation);
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
