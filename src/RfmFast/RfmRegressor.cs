using System;
using System.Numerics;
using System.Threading;
using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>Fits Recursive Feature Machines for (multi-output) regression.</summary>
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
    /// <param name="y">Training targets, n x c.</param>
    /// <param name="xValidation">Optional validation features.</param>
    /// <param name="yValidation">Optional validation targets.</param>
    /// <param name="progress">Optional per-phase progress.</param>
    /// <param name="cancellationToken">Cancels between phases.</param>
    /// <exception cref="ArgumentException">Empty, ragged or non-finite data, or shapes that do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public RfmModel Fit(float[,] x, float[,] y, float[,]? xValidation = null, float[,]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), new RowsInput<float>(y), new RowsInput<float>(xValidation), new RowsInput<float>(yValidation),
            progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(double[,] x, double[,] y, double[,]? xValidation = null, double[,]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), new RowsInput<double>(y), new RowsInput<double>(xValidation), new RowsInput<double>(yValidation),
            progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(float[][] x, float[][] y, float[][]? xValidation = null, float[][]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x), new RowsInput<float>(y), new RowsInput<float>(xValidation), new RowsInput<float>(yValidation),
            progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(double[][] x, double[][] y, double[][]? xValidation = null, double[][]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x), new RowsInput<double>(y), new RowsInput<double>(xValidation), new RowsInput<double>(yValidation),
            progress, cancellationToken);

    /// <summary>Fits on (x, y) given as 2-D spans; empty validation spans (the default) mean no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(ReadOnlySpan2D<float> x, ReadOnlySpan2D<float> y, ReadOnlySpan2D<float> xValidation = default,
        ReadOnlySpan2D<float> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<float>(x, true), new RowsInput<float>(y, true), new RowsInput<float>(xValidation, !xValidation.IsEmpty),
            new RowsInput<float>(yValidation, !yValidation.IsEmpty), progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, ReadOnlySpan2D{float}, IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(ReadOnlySpan2D<double> x, ReadOnlySpan2D<double> y, ReadOnlySpan2D<double> xValidation = default,
        ReadOnlySpan2D<double> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(new RowsInput<double>(x, true), new RowsInput<double>(y, true), new RowsInput<double>(xValidation, !xValidation.IsEmpty),
            new RowsInput<double>(yValidation, !yValidation.IsEmpty), progress, cancellationToken);

    /// <summary>Fits on (x, y) given as 2-D memory (a <see cref="Memory2D{T}"/> converts implicitly); empty
    /// validation memory (the default) means no validation data.</summary>
    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory2D<float> y, ReadOnlyMemory2D<float> xValidation = default,
        ReadOnlyMemory2D<float> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, y.Span, xValidation.Span, yValidation.Span, progress, cancellationToken);

    /// <inheritdoc cref="Fit(ReadOnlyMemory2D{float}, ReadOnlyMemory2D{float}, ReadOnlyMemory2D{float}, ReadOnlyMemory2D{float}, IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(ReadOnlyMemory2D<double> x, ReadOnlyMemory2D<double> y, ReadOnlyMemory2D<double> xValidation = default,
        ReadOnlyMemory2D<double> yValidation = default, IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(x.Span, y.Span, xValidation.Span, yValidation.Span, progress, cancellationToken);

    RfmModel FitAny<TIn>(RowsInput<TIn> x, RowsInput<TIn> y, RowsInput<TIn> xValidation, RowsInput<TIn> yValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        Options.Validate();
        return Options.Precision == FitPrecision.Float64
            ? new RfmModel(FitIn<double, TIn>(x, y, xValidation, yValidation, progress, ct))
            : new RfmModel(FitIn<float, TIn>(x, y, xValidation, yValidation, progress, ct));
    }

    FitState<T> FitIn<T, TIn>(RowsInput<TIn> x, RowsInput<TIn> y, RowsInput<TIn> xValidation, RowsInput<TIn> yValidation,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        var xd = x.Required<T>(nameof(x));
        var yd = y.Required<T>(nameof(y));
        var xv = xValidation.ToDense<T>(nameof(xValidation));
        var yv = yValidation.ToDense<T>(nameof(yValidation));
        if (yv is not null && yv.Cols != yd.Cols)
            throw new ArgumentException($"The validation targets have {yv.Cols} columns; the training targets {yd.Cols}.", nameof(yValidation));
        if (xv is not null && yv is not null && xv.Rows != yv.Rows)
            throw new ArgumentException($"The validation targets have {yv.Rows} rows; the validation data {xv.Rows}.", nameof(yValidation));
        return RfmTrainer.Fit(xd, yd, xv, yv, Options, classification: false, progress, ct);
    }
}
