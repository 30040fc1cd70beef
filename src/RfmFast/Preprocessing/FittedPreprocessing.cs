using System;
using System.Collections.Generic;
using System.Numerics;

namespace RfmFast;

/// <summary>
/// A <see cref="Preprocessing"/> with what it learned from the training data: the numeric columns' means and
/// scales, each categorical column's categories, and the targets' means and scales. Maps input rows (d columns)
/// to the kernel's rows (the encoded columns) with the same arithmetic (in double, rounded once to the model's
/// precision) for the training rows, the batch predictions and the single-sample ones.
/// </summary>
internal sealed class FittedPreprocessing
{
    readonly double[] _mean;
    readonly double[] _scale;
    readonly double[]?[] _levels;
    readonly double[] _targetMean;
    readonly double[] _targetScale;

    /// <param name="settings">What was asked for.</param>
    /// <param name="mean">The d input columns' means (0 for a categorical column or without standardisation).</param>
    /// <param name="scale">The d input columns' scales (1 likewise).</param>
    /// <param name="levels">Per input column: its categories' codes, ascending and distinct, or null for a numeric column.</param>
    /// <param name="targetMean">The c target means, or empty when target standardisation is off.</param>
    /// <param name="targetScale">The c target scales, or empty.</param>
    public FittedPreprocessing(Preprocessing settings, double[] mean, double[] scale, double[]?[] levels, double[] targetMean, double[] targetScale)
    {
        Settings = settings;
        _mean = mean;
        _scale = scale;
        _levels = levels;
        _targetMean = targetMean;
        _targetScale = targetScale;
        int encoded = 0;
        foreach (var l in levels)
            encoded += l?.Length ?? 1;
        Encoded = encoded;
        IsIdentity = !settings.StandardizeFeatures && !settings.NormalizeRows && settings.CategoricalFeatures.Count == 0;
    }

    /// <summary>No preprocessing, for d features.</summary>
    public static FittedPreprocessing None(int d) => new(Preprocessing.None, new double[d], Ones(d), new double[]?[d], [], []);

    public Preprocessing Settings { get; }

    /// <summary>The number of input columns.</summary>
    public int Inputs => _mean.Length;

    /// <summary>The number of columns the kernel sees.</summary>
    public int Encoded { get; }

    public ReadOnlySpan<double> Mean => _mean;

    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>Read-only views of the learned values for the model's public properties (made once, no copy per access).</summary>
    public IReadOnlyList<double> MeanView => field ??= Array.AsReadOnly(_mean);

    public IReadOnlyList<double> ScaleView => field ??= Array.AsReadOnly(_scale);

    public IReadOnlyList<double> TargetMeanView => field ??= Array.AsReadOnly(_targetMean);

    public IReadOnlyList<double> TargetScaleView => field ??= Array.AsReadOnly(_targetScale);

    /// <summary>The categories' codes of input column j, or null for a numeric column.</summary>
    public double[]? Levels(int j) => _levels[j];

    public ReadOnlySpan<double> TargetMean => _targetMean;

    public ReadOnlySpan<double> TargetScale => _targetScale;

    /// <summary>Whether the rows reach the kernel unchanged.</summary>
    public bool IsIdentity { get; }

    /// <summary>Whether predictions are mapped back from standardised targets.</summary>
    public bool MapsTarget => _targetMean.Length > 0;

    /// <summary>Learns from the training rows (numeric columns' means and scales, categorical columns' categories)
    /// and from <paramref name="y"/> (regression targets, n x c; null for a classifier).</summary>
    public static FittedPreprocessing Fit(Preprocessing settings, DenseData<double> x, DenseData<double>? y)
    {
        int n = x.Rows, d = x.Cols;
        settings.Validate(d);
        var levels = new double[]?[d];
        foreach (int j in settings.CategoricalFeatures)
        {
            var seen = new SortedSet<double>();
            for (int i = 0; i < n; i++)
                seen.Add(x.Values[i * d + j] == 0 ? 0 : x.Values[i * d + j]); // -0 and 0 are one category
            levels[j] = [.. seen];
        }
        var mean = new double[d];
        var scale = Ones(d);
        if (settings.StandardizeFeatures)
        {
            MeanScale(x.Values, n, d, mean, scale);
            for (int j = 0; j < d; j++)
                if (levels[j] is not null)
                    (mean[j], scale[j]) = (0, 1);
        }
        double[] tMean = [], tScale = [];
        if (settings.StandardizeTarget && y is not null)
        {
            tMean = new double[y.Cols];
            tScale = Ones(y.Cols);
            MeanScale(y.Values, y.Rows, y.Cols, tMean, tScale);
        }
        return new FittedPreprocessing(settings, mean, scale, levels, tMean, tScale);
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

    /// <summary>One input row (d values) into the kernel's space (<see cref="Encoded"/> values of T).</summary>
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
                if (_levels[j] is { } l)
                {
                    s += Category(l, src[j]) >= 0 ? 1 : 0;
                    continue;
                }
                double v = Standardized(src[j], j);
                s += v * v;
            }
            inv = s > 0 ? 1 / Math.Sqrt(s) : 1;
        }
        int o = 0;
        for (int j = 0; j < src.Length; j++)
        {
            if (_levels[j] is { } l)
            {
                int k = Category(l, src[j]);
                dst.Slice(o, l.Length).Clear();
                if (k >= 0)
                    dst[o + k] = T.CreateTruncating(inv);
                o += l.Length;
                continue;
            }
            dst[o++] = T.CreateTruncating(Standardized(src[j], j) * inv);
        }
    }

    /// <summary>The index of a code among a column's categories, or -1 for a category not seen in training.</summary>
    static int Category<TIn>(double[] levels, TIn code) where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        double v = double.CreateTruncating(code);
        int k = Array.BinarySearch(levels, v == 0 ? 0 : v);
        return k >= 0 ? k : -1;
    }

    double Standardized<TIn>(TIn x, int j) where TIn : unmanaged, IFloatingPointIeee754<TIn> =>
        (double.CreateTruncating(x) - _mean[j]) / _scale[j];

    /// <summary>Every row of <paramref name="x"/> into the kernel's space (a new array).</summary>
    public DenseData<T> Rows<TIn, T>(DenseData<TIn> x)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new T[checked(x.Rows * Encoded)];
        for (int i = 0; i < x.Rows; i++)
            Row<TIn, T>(x.Row(i), v.AsSpan(i * Encoded, Encoded));
        return new DenseData<T>(v, x.Rows, Encoded);
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

    /// <summary>The names of the encoded columns: an input column's name, or "name=category" for each category of a
    /// categorical one (its name from <see cref="Preprocessing.CategoryNames"/>, else its code).</summary>
    public string[] EncodedNames(IReadOnlyList<string> inputNames)
    {
        var names = new string[Encoded];
        int o = 0;
        for (int j = 0; j < Inputs; j++)
        {
            string name = inputNames.Count == Inputs ? inputNames[j] : $"x{j}";
            if (_levels[j] is not { } l)
            {
                names[o++] = name;
                continue;
            }
            Settings.CategoryNames.TryGetValue(j, out var catNames);
            foreach (double code in l)
            {
                string cat = catNames is not null && code >= 0 && code < catNames.Count && code == Math.Floor(code)
                    ? catNames[(int)code] : code.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                names[o++] = $"{name}={cat}";
            }
        }
        return names;
    }
}
