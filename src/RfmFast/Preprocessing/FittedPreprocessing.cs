using System;
using System.Numerics;

namespace RfmFast;

/// <summary>
/// A <see cref="Preprocessing"/> with what it learned from the training data: the feature means and scales
/// and the target's. Applies the same arithmetic (in double, rounded once to the model's precision) to the
/// training rows, the batch predictions and the single-sample ones, so the three agree to the last bit.
/// </summary>
internal sealed class FittedPreprocessing
{
    readonly double[] _mean;
    readonly double[] _scale;
    readonly double[] _targetMean;
    readonly double[] _targetScale;

    /// <param name="settings">What was asked for.</param>
    /// <param name="mean">The d feature means (zeros when standardisation is off).</param>
    /// <param name="scale">The d feature scales (ones when off).</param>
    /// <param name="targetMean">The c target means, or empty when target standardisation is off.</param>
    /// <param name="targetScale">The c target scales, or empty.</param>
    public FittedPreprocessing(Preprocessing settings, double[] mean, double[] scale, double[] targetMean, double[] targetScale)
    {
        Settings = settings;
        _mean = mean;
        _scale = scale;
        _targetMean = targetMean;
        _targetScale = targetScale;
        IsIdentity = !settings.StandardizeFeatures && !settings.NormalizeRows;
    }

    /// <summary>No preprocessing, for d features.</summary>
    public static FittedPreprocessing None(int d) => new(Preprocessing.None, new double[d], Ones(d), [], []);

    public Preprocessing Settings { get; }

    /// <summary>The feature means subtracted (zeros when standardisation is off).</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The feature scales divided by (ones when standardisation is off).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>The target means subtracted (empty without target standardisation).</summary>
    public ReadOnlySpan<double> TargetMean => _targetMean;

    /// <summary>The target scales divided by (empty without target standardisation).</summary>
    public ReadOnlySpan<double> TargetScale => _targetScale;

    /// <summary>Whether the features reach the kernel unchanged.</summary>
    public bool IsIdentity { get; }

    /// <summary>Whether predictions are mapped back from a standardised target.</summary>
    public bool MapsTarget => _targetMean.Length > 0;

    /// <summary>Learns the feature means and scales from the training rows and the targets' from
    /// <paramref name="y"/> (regression targets, n x c; null for a classifier).</summary>
    public static FittedPreprocessing Fit(Preprocessing settings, DenseData<double> x, DenseData<double>? y)
    {
        int n = x.Rows, d = x.Cols;
        var mean = new double[d];
        var scale = Ones(d);
        if (settings.StandardizeFeatures)
            MeanScale(x.Values, n, d, mean, scale);
        double[] tMean = [], tScale = [];
        if (settings.StandardizeTarget && y is not null)
        {
            tMean = new double[y.Cols];
            tScale = Ones(y.Cols);
            MeanScale(y.Values, y.Rows, y.Cols, tMean, tScale);
        }
        return new FittedPreprocessing(settings, mean, scale, tMean, tScale);
    }

    /// <summary>Column means and standard deviations (n - 1); a constant column (or a single row) keeps scale 1.</summary>
    static void MeanScale(double[] x, int n, int d, double[] mean, double[] scale)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++)
            mean[j] /= n;
        if (n < 2)
            return;
        var ss = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double e = x[i * d + j] - mean[j];
                ss[j] += e * e;
            }
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(ss[j] / (n - 1));
            scale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1;
        }
    }

    static double[] Ones(int d)
    {
        var v = new double[d];
        Array.Fill(v, 1.0);
        return v;
    }

    /// <summary>One row into the kernel's space, in <typeparamref name="T"/>.</summary>
    public void Row<TIn, T>(ReadOnlySpan<TIn> src, Span<T> dst)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double inv = 1;
        if (Settings.NormalizeRows)
        {
            double s = 0;
            for (int j = 0; j < src.Length; j++)
            {
                double v = Standardized(src[j], j);
                s += v * v;
            }
            inv = s > 0 ? 1 / Math.Sqrt(s) : 1;
        }
        for (int j = 0; j < src.Length; j++)
            dst[j] = T.CreateTruncating(Standardized(src[j], j) * inv);
    }

    double Standardized<TIn>(TIn x, int j) where TIn : unmanaged, IFloatingPointIeee754<TIn> =>
        (double.CreateTruncating(x) - _mean[j]) / _scale[j];

    /// <summary>Every row of <paramref name="x"/> into the kernel's space (a new array).</summary>
    public DenseData<T> Rows<TIn, T>(DenseData<TIn> x)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new T[x.Values.Length];
        for (int i = 0; i < x.Rows; i++)
            Row<TIn, T>(x.Row(i), v.AsSpan(i * x.Cols, x.Cols));
        return new DenseData<T>(v, x.Rows, x.Cols);
    }

    /// <summary>The regression targets as the kernel machine fits them (standardised when asked), in T.</summary>
    public DenseData<T> Targets<T>(DenseData<double> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new T[y.Values.Length];
        int c = y.Cols;
        for (int i = 0; i < v.Length; i++)
            v[i] = T.CreateTruncating(MapsTarget ? (y.Values[i] - _targetMean[i % c]) / _targetScale[i % c] : y.Values[i]);
        return new DenseData<T>(v, y.Rows, c);
    }

    /// <summary>Output <paramref name="col"/> of a prediction, back in the target's units.</summary>
    public double Output(double f, int col) => MapsTarget ? f * _targetScale[col] + _targetMean[col] : f;
}
