using System;
using System.Numerics;
using System.Threading;

namespace RfmFast;

/// <summary>What both estimators do around the RFM loop: validate the caller's rows, learn and apply the
/// preprocessing, and fit in the options' precision.</summary>
internal static class EstimatorFit
{
    /// <summary>Targets as the caller gave them, in double: regression values (n x c), or class codes for a
    /// classifier, which become one-hot rows.</summary>
    public readonly record struct Targets(DenseData<double>? Values, int[]? Codes, int Classes);

    public static (FitState<T> State, FittedPreprocessing Prep) Fit<T, TIn>(RfmOptions o, RowsInput<TIn> x, Targets y,
        RowsInput<TIn> xValidation, Targets? yValidation, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        var raw = x.Required<double>(nameof(x));
        int n = raw.Rows;
        if (Rows(y) != n)
            throw new ArgumentException($"There are {Rows(y)} targets for {n} rows.", y.Codes is null ? "y" : "labels");
        var prep = FittedPreprocessing.Fit(o.Preprocessing, raw, y.Values);
        var xd = prep.Rows<double, T>(raw);
        var yd = KernelTargets<T>(prep, y);
        DenseData<T>? xv = null, yv = null;
        if (!xValidation.IsNone || yValidation is not null)
        {
            if (xValidation.IsNone || yValidation is null)
                throw new ArgumentException("Validation data needs both features and targets.", xValidation.IsNone ? nameof(xValidation) : nameof(yValidation));
            var rawV = xValidation.Required<double>(nameof(xValidation));
            if (rawV.Cols != raw.Cols)
                throw new ArgumentException($"The validation data has {rawV.Cols} features; the training data has {raw.Cols}.", nameof(xValidation));
            if (Rows(yValidation.Value) != rawV.Rows)
                throw new ArgumentException($"There are {Rows(yValidation.Value)} validation targets for {rawV.Rows} rows.", nameof(yValidation));
            if (yValidation.Value.Values is { } vv && vv.Cols != y.Values!.Cols)
                throw new ArgumentException($"The validation targets have {vv.Cols} columns; the training targets {y.Values.Cols}.", nameof(yValidation));
            xv = prep.Rows<double, T>(rawV);
            yv = KernelTargets<T>(prep, yValidation.Value);
        }
        var state = RfmTrainer.Fit(xd, yd, xv, yv, o, classification: y.Codes is not null, progress, ct);
        return (state, prep);
    }

    static int Rows(Targets y) => y.Codes?.Length ?? y.Values!.Rows;

    static DenseData<T> KernelTargets<T>(FittedPreprocessing prep, Targets y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Codes is null)
            return prep.Targets<T>(y.Values!);
        int c = y.Classes;
        var v = new T[y.Codes.Length * c];
        for (int i = 0; i < y.Codes.Length; i++)
            v[i * c + y.Codes[i]] = T.One;
        return new DenseData<T>(v, y.Codes.Length, c);
    }
}
