using System;
using System.Numerics;

namespace RfmFast.PropertyTests.References;

/// <summary>
/// Naive double references for the distance and kernel matrices: the difference x - z formed first
/// (not the expansion the core uses), then (x-z)^T M (x-z) by two loops.
/// </summary>
public static class NaiveKernels
{
    /// <summary>d2(i, j) = (x_i - z_j)^T M (x_i - z_j) (M = I when null), and the scale
    /// |x_i|_M^2 + |z_j|_M^2 that the expansion's rounding error is proportional to.</summary>
    public static (double[,] Value, double[,] Scale) SquaredDistances<T>(Dense<T> x, Dense<T> z, double[,]? m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, p = z.Rows, d = x.Cols;
        var value = new double[n, p];
        var scale = new double[n, p];
        var diff = new double[d];
        var xs = new double[n];
        var zs = new double[p];
        for (int i = 0; i < n; i++)
            xs[i] = AbsQuadratic(x, i, m);
        for (int j = 0; j < p; j++)
            zs[j] = AbsQuadratic(z, j, m);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                for (int k = 0; k < d; k++)
                    diff[k] = double.CreateTruncating(x[i, k]) - double.CreateTruncating(z[j, k]);
                value[i, j] = Quadratic(diff, m);
                scale[i, j] = xs[i] + zs[j];
            }
        }
        return (value, scale);
    }

    /// <summary>v^T M v (v^T v when M is null).</summary>
    public static double Quadratic(ReadOnlySpan<double> v, double[,]? m)
    {
        double s = 0;
        for (int a = 0; a < v.Length; a++)
        {
            if (m is null)
            {
                s += v[a] * v[a];
                continue;
            }
            for (int b = 0; b < v.Length; b++)
                s += v[a] * m[a, b] * v[b];
        }
        return s;
    }

    /// <summary>sum_ab |x_a| |M_ab| |x_b| for row i: the magnitude bound of x^T M x.</summary>
    static double AbsQuadratic<T>(Dense<T> x, int i, double[,]? m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        for (int a = 0; a < x.Cols; a++)
        {
            double xa = Math.Abs(double.CreateTruncating(x[i, a]));
            if (m is null)
            {
                s += xa * xa;
                continue;
            }
            for (int b = 0; b < x.Cols; b++)
                s += xa * Math.Abs(m[a, b]) * Math.Abs(double.CreateTruncating(x[i, b]));
        }
        return s;
    }
}
