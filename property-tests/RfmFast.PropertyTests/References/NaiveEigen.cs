using System;

namespace RfmFast.PropertyTests.References;

/// <summary>
/// The cyclic Jacobi eigenvalue algorithm in double (Golub and Van Loan, section 8.5): a different method
/// from the one under test (no tridiagonal form, no QL), slow and simple, and accurate to a few eps ||A||.
/// Also the test-matrix builders of the eigen properties.
/// </summary>
public static class NaiveEigen
{
    /// <summary>Eigenvalues ascending and eigenvectors (columns of <paramref name="vectors"/>) of the symmetric
    /// matrix <paramref name="a"/> (both triangles read; not modified).</summary>
    public static double[] Jacobi(double[,] a, out double[,] vectors)
    {
        int n = a.GetLength(0);
        // Work on A / max|a_ij| so that huge and tiny matrices neither overflow nor underflow the sums of squares.
        double max = MaxAbs(a), unit = max == 0 ? 1 : max;
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = a[i, j] / unit;
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
            v[i, i] = 1;
        double total = 0;
        foreach (double x in m)
            total += x * x;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (i != j)
                        off += m[i, j] * m[i, j];
            if (off <= 1e-34 * total || off == 0)
                break;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = m[p, q];
                    if (apq == 0)
                        continue;
                    // The rotation that zeroes m[p, q]: t = tan(theta), the smaller root of t^2 + 2 tau t - 1 = 0.
                    double tau = (m[q, q] - m[p, p]) / (2 * apq);
                    double t = (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        var w = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            w[i] = m[i, i];
            order[i] = i;
        }
        Array.Sort((double[])w.Clone(), order);
        var sorted = new double[n];
        vectors = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            sorted[c] = w[order[c]] * unit;
            for (int k = 0; k < n; k++)
                vectors[k, c] = v[k, order[c]];
        }
        return sorted;
    }

    /// <summary>Eigenvalues only, ascending.</summary>
    public static double[] Jacobi(double[,] a) => Jacobi(a, out _);

    /// <summary>V diag(f(w)) V^T from the Jacobi decomposition.</summary>
    public static double[,] Function(double[,] a, Func<double, double> f)
    {
        int n = a.GetLength(0);
        double[] w = Jacobi(a, out double[,] v);
        var r = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            double fc = f(w[c]);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    r[i, j] += v[i, c] * fc * v[j, c];
        }
        return r;
    }

    /// <summary>A random orthogonal matrix: modified Gram-Schmidt, twice, on uniform random columns.</summary>
    public static double[,] RandomOrthogonal(int n, Random rng)
    {
        var q = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                q[i, j] = rng.NextDouble() * 2 - 1;
        for (int c = 0; c < n; c++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < c; p++)
                {
                    double dot = 0;
                    for (int k = 0; k < n; k++)
                        dot += q[k, p] * q[k, c];
                    for (int k = 0; k < n; k++)
                        q[k, c] -= dot * q[k, p];
                }
            }
            double norm = 0;
            for (int k = 0; k < n; k++)
                norm += q[k, c] * q[k, c];
            norm = Math.Sqrt(norm);
            for (int k = 0; k < n; k++)
                q[k, c] /= norm;
        }
        return q;
    }

    /// <summary>Q diag(lambda) Q^T, symmetrized exactly.</summary>
    public static double[,] WithSpectrum(double[] lambda, Random rng)
    {
        int n = lambda.Length;
        double[,] q = RandomOrthogonal(n, rng);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                    s += q[i, k] * lambda[k] * q[j, k];
                a[i, j] = a[j, i] = s;
            }
        }
        return a;
    }

    /// <summary>The Wilkinson matrix W+ of order n: diagonal |i - (n-1)/2|, off-diagonal 1. Its large
    /// eigenvalues come in pairs that agree to many digits: a hard case for eigenvector orthogonality.</summary>
    public static double[,] Wilkinson(int n)
    {
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            a[i, i] = Math.Abs(i - (n - 1) / 2.0);
            if (i + 1 < n)
                a[i, i + 1] = a[i + 1, i] = 1;
        }
        return a;
    }

    /// <summary>||A||_F, scaled internally so that it neither overflows nor underflows.</summary>
    public static double Frobenius(double[,] a)
    {
        double max = MaxAbs(a);
        if (max == 0)
            return 0;
        double s = 0;
        foreach (double x in a)
            s += (x / max) * (x / max);
        return max * Math.Sqrt(s);
    }

    public static double MaxAbs(double[,] a)
    {
        double max = 0;
        foreach (double x in a)
            max = Math.Max(max, Math.Abs(x));
        return max;
    }
}
