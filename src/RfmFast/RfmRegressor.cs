using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>Fits Recursive Feature Machines for regression: one target (a vector) or several (a matrix).</summary>
/// <remarks>Rows come as 2-D arrays, jagged arrays, or <see cref="ReadOnlySpan2D{T}"/> / <see cref="ReadOnlyMemory2D{T}"/>
/// (any strides: a sub-view of a larger matrix is fine), of float or double. The fit computes in
/// <see cref="RfmOptions.Precision"/> whatever the input type; inputs are copied and never modified.</remarks>
/// <param name="options">The settings; null means the defaults of <see cref="RfmOptions"/>.</param>
public sealed class RfmRegressor(RfmOptions? options = null)
{
    /// <summary>The settings this estimator fits with.</summary>
    public RfmOptions Options { get; } = options ?? new RfmOptions();

    /// <summary>Fits on (x, y). With validation data the best iteration is chosen on it; without, on a
    /// seeded holdout of <see cref="RfmOptions.ValidationFraction"/> of the rows, then refit on every row.</summary>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="y">Training targets, n x c (or a vector of n for one target).</param>
    /// <param name="xValidation">Optional validation features.</param>
    /// <param name="yValidation">Optional validation targets.</param>
    /// <param name="progress">Optional per-phase progress.</param>
    /// <param name="cancellationToken">Cancels between phases.</param>
    /// <exception cref="ArgumentException">Empty, ragged or non-finite data, or shapes that do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Not even the plain kernel (iteration 0) could be fitted.</exception>
    public RfmRegressionModel Fit(float[,] x, float[,] y, float[,]? xValidation = null, float[,]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), new RowsInput<float>(y), new RowsInput<float>(xValidation), new RowsInput<float>(yValidation), progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(float[,] x, float[] y, float[,]? xValidation = null, float[]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), Column(y), new RowsInput<float>(xValidation), Column(yValidation), progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(float[][] x, float[][] y, float[][]? xValidation = null, float[][]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), new RowsInput<float>(y), new RowsInput<float>(xValidation), new RowsInput<float>(yValidation), progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(float[][] x, float[] y, float[][]? xValidation = null, float[]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), Column(y), new RowsInput<float>(xValidation), Column(yValidation), progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D spans; empty validation spans (the default) mean no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlySpan2D<float> x, ReadOnlySpan2D<float> y, ReadOnlySpan2D<float> xValidation = default,
        ReadOnlySpan2D<float> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x, true), new RowsInput<float>(y, true), new RowsInput<float>(xValidation, !xValidation.IsEmpty),
            new RowsInput<float>(yValidation, !yValidation.IsEmpty), progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlySpan2D<float> x, ReadOnlySpan<float> y, ReadOnlySpan2D<float> xValidation = default,
        ReadOnlySpan<float> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x, true), ColumnSpan(y), new RowsInput<float>(xValidation, !xValidation.IsEmpty),
            !xValidation.IsEmpty || !yValidation.IsEmpty ? ColumnSpan(yValidation) : default, progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty
    /// validation memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory2D<float> y, ReadOnlyMemory2D<float> xValidation = default,
        ReadOnlyMemory2D<float> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, y.Span, xValidation.Span, yValidation.Span, progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlyMemory2D{float}, ReadOnlyMemory2D{float}, ReadOnlyMemory2D{float}, ReadOnlyMemory2D{float}, IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<float> y, ReadOnlyMemory2D<float> xValidation = default,
        ReadOnlyMemory<float> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, y.Span, xValidation.Span, yValidation.Span, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(double[,] x, double[,] y, double[,]? xValidation = null, double[,]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), new RowsInput<double>(y), new RowsInput<double>(xValidation), new RowsInput<double>(yValidation), progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(double[,] x, double[] y, double[,]? xValidation = null, double[]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), Column(y), new RowsInput<double>(xValidation), Column(yValidation), progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(double[][] x, double[][] y, double[][]? xValidation = null, double[][]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), new RowsInput<double>(y), new RowsInput<double>(xValidation), new RowsInput<double>(yValidation), progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(double[][] x, double[] y, double[][]? xValidation = null, double[]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), Column(y), new RowsInput<double>(xValidation), Column(yValidation), progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D spans; empty validation spans (the default) mean no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlySpan2D<double> x, ReadOnlySpan2D<double> y, ReadOnlySpan2D<double> xValidation = default,
        ReadOnlySpan2D<double> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x, true), new RowsInput<double>(y, true), new RowsInput<double>(xValidation, !xValidation.IsEmpty),
            new RowsInput<double>(yValidation, !yValidation.IsEmpty), progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlySpan2D{double}, ReadOnlySpan2D{double}, ReadOnlySpan2D{double}, ReadOnlySpan2D{double}, IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlySpan2D<double> x, ReadOnlySpan<double> y, ReadOnlySpan2D<double> xValidation = default,
        ReadOnlySpan<double> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x, true), ColumnSpan(y), new RowsInput<double>(xValidation, !xValidation.IsEmpty),
            !xValidation.IsEmpty || !yValidation.IsEmpty ? ColumnSpan(yValidation) : default, progress, cancellationToken);

    /// <summary>Fits on rows given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty
    /// validation memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlyMemory2D<double> x, ReadOnlyMemory2D<double> y, ReadOnlyMemory2D<double> xValidation = default,
        ReadOnlyMemory2D<double> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, y.Span, xValidation.Span, yValidation.Span, progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlyMemory2D{double}, ReadOnlyMemory2D{double}, ReadOnlyMemory2D{double}, ReadOnlyMemory2D{double}, IProgress{RfmProgress}, CancellationToken)"/>
    public RfmRegressionModel Fit(ReadOnlyMemory2D<double> x, ReadOnlyMemory<double> y, ReadOnlyMemory2D<double> xValidation = default,
        ReadOnlyMemory<double> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, y.Span, xValidation.Span, yValidation.Span, progress, cancellationToken);

    /// <summary>The tree fit as independent jobs: learns the preprocessing, grows the splits (as
    /// <see cref="Fit(ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, IProgress{RfmProgress}, CancellationToken)"/>
    /// would, whatever <see cref="TreeOptions.Mode"/> says) and writes to <paramref name="directory"/> a plan and one
    /// shard per leaf. Fit each shard anywhere with <see cref="RfmTreeJobs.FitLeaf"/>, then join the leaves with
    /// <see cref="RfmTreeJobs.Assemble"/>: the model predicts exactly what <c>Fit</c> with the same options and data
    /// builds on the same kind of machine.</summary>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="y">Training targets, n x c.</param>
    /// <param name="directory">The folder to write plan.rfmplan and shard-NNNN.rfmshard to (created if needed).</param>
    /// <param name="xValidation">Optional validation features (empty: none).</param>
    /// <param name="yValidation">Optional validation targets.</param>
    /// <param name="featureNames">Optional names of the d features, kept with the model.</param>
    /// <param name="targetName">Optional name of the target, kept with the model.</param>
    /// <param name="progress">Optional progress of the splits.</param>
    /// <param name="cancellationToken">Cancels between splits and shards.</param>
    /// <returns>The shard files, one per leaf, left to right.</returns>
    /// <exception cref="ArgumentException">Bad data, as for Fit, or feature names that do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IReadOnlyList<string> PlanTree(ReadOnlySpan2D<float> x, ReadOnlySpan2D<float> y, string directory, ReadOnlySpan2D<float> xValidation = default,
        ReadOnlySpan2D<float> yValidation = default, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var raw = new RowsInput<float>(x, true).Required<double>(nameof(x));
        var rawV = new RowsInput<float>(xValidation, !xValidation.IsEmpty).ToDense<double>(nameof(xValidation));
        var targets = new EstimatorFit.Targets(new RowsInput<float>(y, true).Required<double>(nameof(y)), null, 0, nameof(y));
        EstimatorFit.Targets? vTargets = yValidation.IsEmpty && xValidation.IsEmpty ? null
            : new EstimatorFit.Targets(new RowsInput<float>(yValidation, true).Required<double>(nameof(yValidation)), null, 0, nameof(yValidation));
        return Options.Precision == FitPrecision.Float64
            ? EstimatorFit.Plan<double>(Options, raw, targets, rawV, vTargets, null, directory, featureNames, targetName, progress, cancellationToken)
            : EstimatorFit.Plan<float>(Options, raw, targets, rawV, vTargets, null, directory, featureNames, targetName, progress, cancellationToken);
    }

    /// <summary>The tree fit of one target as independent jobs.</summary>
    /// <inheritdoc cref="PlanTree(ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, string, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, IReadOnlyList{string}, string, IProgress{RfmProgress}, CancellationToken)"/>
    public IReadOnlyList<string> PlanTree(ReadOnlySpan2D<float> x, ReadOnlySpan<float> y, string directory, ReadOnlySpan2D<float> xValidation = default,
        ReadOnlySpan<float> yValidation = default, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        PlanTree(x, AsColumn(y), directory, xValidation, AsColumn(yValidation), featureNames, targetName, progress, cancellationToken);

    static ReadOnlySpan2D<float> AsColumn(ReadOnlySpan<float> y) =>
        y.IsEmpty ? default : ReadOnlySpan2D<float>.DangerousCreate(in System.Runtime.InteropServices.MemoryMarshal.GetReference(y), y.Length, 1, 0);

    /// <summary>A target vector as an n x 1 column (null stays null).</summary>
    static RowsInput<T> Column<T>(T[]? y) where T : unmanaged, IFloatingPointIeee754<T> =>
        y is null ? default : ColumnSpan<T>(y);

    static RowsInput<T> ColumnSpan<T>(ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(ReadOnlySpan2D<T>.DangerousCreate(in System.Runtime.InteropServices.MemoryMarshal.GetReference(y), y.Length, 1, 0), true);

    RfmRegressionModel FitAny<TIn>(RowsInput<TIn> x, RowsInput<TIn> y, RowsInput<TIn> xValidation, RowsInput<TIn> yValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        Options.Validate();
        var raw = x.Required<double>(nameof(x));
        var rawV = xValidation.ToDense<double>(nameof(xValidation));
        var targets = new EstimatorFit.Targets(y.Required<double>(nameof(y)), null, 0, nameof(y));
        EstimatorFit.Targets? vTargets = yValidation.IsNone ? null
            : new EstimatorFit.Targets(yValidation.Required<double>(nameof(yValidation)), null, 0, nameof(yValidation));
        var model = Options.Precision == FitPrecision.Float64
            ? Build(EstimatorFit.Fit<double>(Options, raw, targets, rawV, vTargets, progress, ct))
            : Build(EstimatorFit.Fit<float>(Options, raw, targets, rawV, vTargets, progress, ct));
        model.MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism;
        return model;
    }

    static RfmRegressionModel Build((TreeState<float> State, FittedPreprocessing Prep) f) => new(f.State, f.Prep);

    static RfmRegressionModel Build((TreeState<double> State, FittedPreprocessing Prep) f) => new(f.State, f.Prep);
}
