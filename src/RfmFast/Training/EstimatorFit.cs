using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;

namespace RfmFast;

/// <summary>What both estimators do around the RFM loop: validate the caller's rows, learn and apply the
/// preprocessing, and fit in the options' precision: one RFM, or a tree of them (<see cref="RfmOptions.Tree"/>).</summary>
internal static class EstimatorFit
{
    /// <summary>Targets as the caller gave them, in double: regression values (n x c), or class codes for a
    /// classifier, which become one-hot rows.</summary>
    /// <param name="Values">Regression targets, n x c, or null.</param>
    /// <param name="Codes">Class indices, or null.</param>
    /// <param name="Classes">The number of classes.</param>
    /// <param name="Name">The caller's parameter name, for messages.</param>
    public readonly record struct Targets(DenseData<double>? Values, int[]? Codes, int Classes, string Name);

    /// <param name="o">The options.</param>
    /// <param name="raw">The training rows, already validated (the caller checks x before the targets).</param>
    /// <param name="y">The training targets.</param>
    /// <param name="xValidation">Optional validation rows, already validated.</param>
    /// <param name="yValidation">Optional validation targets.</param>
    /// <param name="progress">Per-phase progress.</param>
    /// <param name="ct">Cancellation.</param>
    public static (TreeState<T> State, FittedPreprocessing Prep) Fit<T>(RfmOptions o, DenseData<double> raw, Targets y,
        DenseData<double>? xValidation, Targets? yValidation, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xd, yd, xv, yv, prep) = Prepare<T>(o, raw, y, xValidation, yValidation);
        bool classification = y.Codes is not null;
        bool tree = o.Tree.Mode == TreeMode.Always || (o.Tree.Mode == TreeMode.Auto && raw.Rows > o.Tree.MaxLeafSize);
        var state = tree
            ? TreeFit.Fit(xd, yd, xv, yv, o, classification, progress, ct)
            : new TreeState<T>([RfmTrainer.Fit(xd, yd, xv, yv, o, classification, progress, ct)], [], 0);
        return (state, prep);
    }

    /// <summary>The tree fit as jobs (<see cref="TreeJobs"/>): the preprocessing learned and applied as for
    /// <see cref="Fit"/>, the splits grown, the plan and one shard per leaf written to <paramref name="directory"/>.</summary>
    /// <returns>The shard files, one per leaf.</returns>
    public static string[] Plan<T>(RfmOptions o, DenseData<double> raw, Targets y, DenseData<double>? xValidation, Targets? yValidation,
        ClassLabels? classes, string directory, IReadOnlyList<string>? featureNames, string? targetName, IProgress<RfmProgress>? progress,
        CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (featureNames is not null && featureNames.Count != raw.Cols)
            throw new ArgumentException($"{featureNames.Count} feature names for {raw.Cols} features.", nameof(featureNames));
        var (xd, yd, xv, yv, prep) = Prepare<T>(o, raw, y, xValidation, yValidation);
        var head = new Persistence.ModelFile.Head(classes is not null, o.Precision, o.Kernel, o.Bandwidth, o.Exponent, xd.Rows, xd.Cols, yd.Cols, 0, [],
            classes, new Persistence.ModelFile.Names(featureNames ?? [], targetName, new Dictionary<string, string>()), prep);
        return TreeJobs.WritePlan(directory, head, o, y.Codes is not null, xd, yd, xv, yv, progress, ct);
    }

    static (DenseData<T> X, DenseData<T> Y, DenseData<T>? Xv, DenseData<T>? Yv, FittedPreprocessing Prep) Prepare<T>(RfmOptions o,
        DenseData<double> raw, Targets y, DenseData<double>? xValidation, Targets? yValidation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = raw.Rows;
        if (Rows(y) != n)
            throw new ArgumentException($"There are {Rows(y)} targets for {n} rows.", y.Name);
        var prep = FittedPreprocessing.Fit(o.Preprocessing, raw, y.Values);
        var xd = prep.Rows<double, T>(raw);
        var yd = KernelTargets<T>(prep, y);
        DenseData<T>? xv = null, yv = null;
        if (xValidation is not null || yValidation is not null)
        {
            if (xValidation is null || yValidation is null)
                throw new ArgumentException("Validation data needs both features and targets.", xValidation is null ? nameof(xValidation) : y.Name + "Validation");
            var rawV = xValidation;
            if (rawV.Cols != raw.Cols)
                throw new ArgumentException($"The validation data has {rawV.Cols} features; the training data has {raw.Cols}.", nameof(xValidation));
            if (Rows(yValidation.Value) != rawV.Rows)
                throw new ArgumentException($"There are {Rows(yValidation.Value)} validation targets for {rawV.Rows} rows.", yValidation.Value.Name);
            if (yValidation.Value.Values is { } vv && vv.Cols != y.Values!.Cols)
                throw new ArgumentException($"The validation targets have {vv.Cols} columns; the training targets {y.Values.Cols}.", yValidation.Value.Name);
            xv = prep.Rows<double, T>(rawV);
            yv = KernelTargets<T>(prep, yValidation.Value);
        }
        return (xd, yd, xv, yv, prep);
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
