using System;

namespace RfmFast.PropertyTests.References;

/// <summary>Textbook references in double for the factorization properties.</summary>
public static class NaiveCholesky
{
    /// <summary>A random SPD matrix B B^T / k + shift I (B n x k, uniform in [-1, 1)), or, with a negative
    /// shift and k &lt; n, a slightly indefinite one.</summary>
    public static double[,] RandomSymmetric(int n, int k, double shift, Random rng)
    {
        var b = new double[n, k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
                b[i, j] = rng.NextDouble() * 2 - 1;
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += b[i, p] * b[j, p];
                a[i, j] = a[j, i] = s / Math.Max(k, 1);
            }
            a[i, i] += shift;
        }
        return a;
    }

    /// <summary>The lower Cholesky factor in double, or null if a pivot is not positive.</summary>
    public static double[,]? Factor(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j, j];
            for (int p = 0; p < j; p++)
                d -= l[j, p] * l[j, p];
            if (!(d > 0))
                return null;
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int p = 0; p < j; p++)
                    s -= l[i, p] * l[j, p];
                l[i, j] = s / l[j, j];
            }
        }
        return l;
    }

    public static double Frobenius(double[,] a)
    {
        double s = 0;
        foreach (double v in a)
            s += v * v;
        return Math.Sqrt(s);
    }
}
