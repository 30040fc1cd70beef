using System;
using System.Numerics;
using System.Threading;

namespace RfmFast;

/// <summary>Fits Recursive Feature Machines for (multi-output) regression.</summary>
/// <param name="options">The settings; null means the defaults of <see cref="RfmOptions"/>.</param>
public sealed class RfmRegressor(RfmOptions? options = null)
{
    /// <summary>The settings this estimator fits with.</summary>
    public RfmOptions Options { get; } = options ?? new RfmOptions();

    /// <summary>Fits on (x, y). With validation data the best iteration is chosen on it; without, on a
    /// seeded holdout of <see cref="RfmOptions.ValidationFraction"/> of the rows, then refit on every row.
    /// The fit computes in <see cref="RfmOptions.Precision"/>, whatever the type of the inputs.</summary>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="y">Training targets, n x c.</param>
    /// <param name="xValidation">Optional validation features.</param>
    /// <param name="yValidation">Optional validation targets.</param>
    /// <param name="progress">Optional per-phase progress.</param>
    /// <param name="cancellationToken">Cancels between phases.</param>
    /// <exception cref="ArgumentException">Empty or non-finite data, or shapes that do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public RfmModel Fit(float[,] x, float[,] y, float[,]? xValidation = null, float[,]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(x, y, xValidation, yValidation, progress, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, CancellationToken)"/>
    public RfmModel Fit(double[,] x, double[,] y, double[,]? xValidation = null, double[,]? yValidation = null,
        IProgress<RfmProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitAny(x, y, xValidation, yValidation, progress, cancellationToken);

    RfmModel FitAny<TIn>(TIn[,] x, TIn[,] y, TIn[,]? xValidation, TIn[,]? yValidation, IProgress<RfmProgress>? progress,
        CancellationToken ct)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        Options.Validate();
        return Options.Precision == FitPrecision.Float64
            ? new RfmModel(FitIn<double, TIn>(x, y, xValidation, yValidation, progress, ct))
            : new RfmModel(FitIn<float, TIn>(x, y, xValidation, yValidation, progress, ct));
    }

    FitState<T> FitIn<T, TIn>(TIn[,] x, TIn[,] y, TIn[,]? xValidation, TIn[,]? yValidation, IProgress<RfmProgress>? progress,
        CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        var xd = DenseData<T>.From(x, nameof(x));
        var yd = DenseData<T>.From(y, nameof(y));
        var xv = xValidation is null ? null : DenseData<T>.From(xValidation, nameof(xValidation));
        var yv = yValidation is null ? null : DenseData<T>.From(yValidation, nameof(yValidation));
        if (yv is not null && yv.Cols != yd.Cols)
            throw new ArgumentException($"The validation targets have {yv.Cols} columns; the training targets {yd.Cols}.", nameof(yValidation));
        if (xv is not null && yv is not null && xv.Rows != yv.Rows)
            throw new ArgumentException($"The validation targets have {yv.Rows} rows; the validation data {xv.Rows}.", nameof(yValidation));
        return RfmTrainer.Fit(xd, yd, xv, yv, Options, classification: false, progress, ct);
    }
}
