using System;
using System.Collections.Generic;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The fit's seeded random samples: the AGOP sample, the adaptive bandwidth's sample (the holdout is
/// <see cref="DataSplit.Random"/>).</summary>
internal static class Sampling
{
    /// <summary>A seeded sample of <paramref name="size"/> of 0..n-1, sorted.</summary>
    public static int[] Indices(int n, int size, int seed)
    {
        var s = DataSplit.Shuffled(n, seed)[..size];
        Array.Sort(s);
        return s;
    }

    /// <summary>The median Euclidean distance between distinct points of a seeded sample of at most 2000 rows.</summary>
    public static double MedianDistance<T>(DenseData<T> x, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = Math.Min(2000, x.Rows);
        var rows = (x.Rows > s ? x.Take(Indices(x.Rows, s, seed + 2)) : x).To<double>();
        var d2 = new double[s * s];
        var v = new ReadOnlyMatrixView<double>(rows.Values, s, x.Cols);
        Distances.SquaredEuclidean(v, v, new MatrixView<double>(d2, s, s));
        var off = new List<double>(s * (s - 1) / 2);
        for (int i = 0; i < s; i++)
            for (int j = 0; j < i; j++)
                off.Add(d2[i * s + j]);
        if (off.Count == 0)
            return 1;
        off.Sort();
        double med = Math.Sqrt(off[off.Count / 2]);
        return med > 1e-14 ? med : 1;
    }
}
