using System;

namespace RfmFast.PropertyTests.References;

/// <summary>
/// The AGOP by its definition, in double: for every evaluation point z_j and output l, the gradient
/// grad f_l(z_j) = sum_i alpha_il phi(r_ji) M (z_j - x_i) with r from the explicit difference, the pairs
/// with r &lt; 1e-10 (and the point's own center) dropped; G = (1/m) sum g g^T.
/// </summary>
public static class NaiveAgop
{
    /// <summary>phi(r) for kernel 0 Laplace, 1 Gaussian, 2 generalized Laplace with exponent q.</summary>
    public static double Phi(int kernel, double r, double l, double q) => kernel switch
    {
        0 => -Math.Exp(-r / l) / (l * r),
        1 => -Math.Exp(-r * r / (2 * l * l)) / (l * l),
        _ => -(q / Math.Pow(l, q)) * Math.Exp(-Math.Pow(r / l, q)) * Math.Pow(r, q - 2),
    };

    public static double Kernel(int kernel, double r, double l, double q) => kernel switch
    {
        0 => Math.Exp(-r / l),
        1 => Math.Exp(-r * r / (2 * l * l)),
        _ => Math.Exp(-Math.Pow(r / l, q)),
    };

    static double Distance(double[,] x, int i, double[] z, double[,] m)
    {
        int d = z.Length;
        double s = 0;
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                s += (z[a] - x[i, a]) * m[a, b] * (z[b] - x[i, b]);
        return Math.Sqrt(Math.Max(s, 0));
    }

    /// <summary>The c x d Jacobian of f at z; the center with index <paramref name="self"/> is skipped.</summary>
    public static double[,] Jacobian(int kernel, double l, double q, double[,] x, double[,] alpha, double[,] m, double[] z, int self)
    {
        int n = x.GetLength(0), d = x.GetLength(1), c = alpha.GetLength(1);
        var g = new double[c, d];
        var h = new double[d];
        for (int i = 0; i < n; i++)
        {
            if (i == self)
                continue;
            double r = Distance(x, i, z, m);
            if (r < 1e-10)
                continue;
            double phi = Phi(kernel, r, l, q);
            for (int a = 0; a < d; a++)
            {
                h[a] = 0;
                for (int b = 0; b < d; b++)
                    h[a] += m[a, b] * (z[b] - x[i, b]);
            }
            for (int k = 0; k < c; k++)
                for (int a = 0; a < d; a++)
                    g[k, a] += alpha[i, k] * phi * h[a];
        }
        return g;
    }

    /// <summary>f(z) = sum_i alpha_i k(r_i), for the finite-difference check of <see cref="Jacobian"/>.</summary>
    public static double[] Predict(int kernel, double l, double q, double[,] x, double[,] alpha, double[,] m, double[] z)
    {
        int n = x.GetLength(0), c = alpha.GetLength(1);
        var f = new double[c];
        for (int i = 0; i < n; i++)
        {
            double k = Kernel(kernel, Distance(x, i, z, m), l, q);
            for (int o = 0; o < c; o++)
                f[o] += alpha[i, o] * k;
        }
        return f;
    }

    /// <summary>(1/m) sum_j sum_l g g^T over the points with the given indices (all if null), with optional
    /// per-output centering of the pre-metric gradients h (g = M h, so centering h is centering g).</summary>
    public static double[,] Agop(int kernel, double l, double q, double[,] x, double[,] alpha, double[,] m, int[]? indices, bool center)
    {
        int n = x.GetLength(0), d = x.GetLength(1), c = alpha.GetLength(1);
        int[] idx = indices ?? new int[n];
        if (indices is null)
            for (int i = 0; i < n; i++)
                idx[i] = i;
        var grads = new double[idx.Length][,];
        for (int j = 0; j < idx.Length; j++)
        {
            var z = new double[d];
            for (int a = 0; a < d; a++)
                z[a] = x[idx[j], a];
            grads[j] = Jacobian(kernel, l, q, x, alpha, m, z, idx[j]);
        }
        if (center)
        {
            for (int k = 0; k < c; k++)
            {
                for (int a = 0; a < d; a++)
                {
                    double mean = 0;
                    foreach (var g in grads)
                        mean += g[k, a];
                    mean /= idx.Length;
                    foreach (var g in grads)
                        g[k, a] -= mean;
                }
            }
        }
        var result = new double[d, d];
        foreach (var g in grads)
            for (int k = 0; k < c; k++)
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                        result[a, b] += g[k, a] * g[k, b] / idx.Length;
        return result;
    }
}
