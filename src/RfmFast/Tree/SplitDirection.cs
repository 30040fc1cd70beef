using System;
using System.Numerics;
using System.Threading;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The direction a tree node splits along, learned on a seeded subset of its rows (<see cref="SplitRule"/>).
/// Returned as a unit vector in double with its largest component positive, so that the same data gives the same
/// split whatever sign the eigensolver picks.</summary>
internal static class SplitDirection
{
    /// <summary>The direction for the node holding <paramref name="nodeRows"/> of (x, y).</summary>
    public static double[] Learn<T>(DenseData<T> x, DenseData<T> y, int[] nodeRows, RfmOptions o, bool classification, int seed, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = nodeRows.Length, d = x.Cols;
        var t = o.Tree;
        var rows = nodeRows;
        if (n > t.SplitSampleSize)
        {
            rows = Sampling.Indices(n, t.SplitSampleSize, seed);
            for (int i = 0; i < rows.Length; i++)
                rows[i] = nodeRows[rows[i]];
        }
        var xs = x.Take(rows);
        var v = t.SplitRule switch
        {
            SplitRule.Agop => TopEigenvector(Agop(xs, y.Take(rows), o, classification, ct), d),
            SplitRule.Pca => TopEigenvector(Covariance(xs), d),
            _ => RandomUnit(d, seed),
        };
        return Canonical(v);
    }

    /// <summary>The AGOP of an RFM fitted on the sample (the best of <see cref="TreeOptions.SplitIterations"/>
    /// iterations): the directions its predictor varies along. If even the plain kernel cannot be fitted on the
    /// sample, the sample's covariance stands in (a principal-component split).</summary>
    static double[] Agop<T>(DenseData<T> x, DenseData<T> y, RfmOptions o, bool classification, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var so = o with { Iterations = o.Tree.SplitIterations, AgopSampleSize = 0 };
        FitState<T> s;
        try
        {
            s = RfmTrainer.Fit(x, y, null, null, so, classification, null, ct);
        }
        catch (InvalidOperationException)
        {
            return Covariance(x);
        }
        var g = MetricUpdate.Next(s.Kernel, s.Centers, s.Alpha, s.Outputs, s.Metric, [], so, default, RfmTrainer.Workers(o.MaxDegreeOfParallelism));
        return Array.ConvertAll(g, double.CreateTruncating);
    }

    static double[] Covariance<T>(DenseData<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                mean[j] += double.CreateTruncating(x.Values[i * d + j]);
        for (int j = 0; j < d; j++)
            mean[j] /= Math.Max(1, n);
        var c = new double[d * d];
        var r = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                r[j] = double.CreateTruncating(x.Values[i * d + j]) - mean[j];
            for (int a = 0; a < d; a++)
                for (int b = 0; b <= a; b++)
                    c[a * d + b] += r[a] * r[b];
        }
        return c;
    }

    /// <summary>The unit eigenvector of the largest eigenvalue of a symmetric d x d matrix (its lower triangle).</summary>
    static double[] TopEigenvector(double[] a, int d)
    {
        if (!Array.TrueForAll(a, double.IsFinite))
            return RandomUnit(d, 0);
        var value = new double[1];
        var v = new double[d];
        SymmetricEigen.Top(new ReadOnlyMatrixView<double>(a, d, d), 1, value, new MatrixView<double>(v, d, 1));
        return v;
    }

    static double[] RandomUnit(int d, int seed)
    {
        var rng = new Random(seed);
        var v = new double[d];
        for (int j = 0; j < d; j++)
            v[j] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return v;
    }

    static double[] Canonical(double[] v)
    {
        int big = 0;
        double norm = 0;
        for (int j = 0; j < v.Length; j++)
        {
            norm += v[j] * v[j];
            if (Math.Abs(v[j]) > Math.Abs(v[big]))
                big = j;
        }
        norm = Math.Sqrt(norm);
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            var e = new double[v.Length];
            e[0] = 1;
            return e;
        }
        double scale = (v[big] < 0 ? -1 : 1) / norm;
        for (int j = 0; j < v.Length; j++)
            v[j] *= scale;
        return v;
    }
}
