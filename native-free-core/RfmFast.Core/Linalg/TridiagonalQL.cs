using System;

namespace RfmFast.Core.Linalg;

/// <summary>Receives the plane rotations of the QL iteration, sweep by sweep, in the order they are made.</summary>
interface ITridiagonalRotationSink
{
    /// <summary>A sweep starts: its rotations act on the index pairs (top, top+1), (top-1, top), ...;
    /// at most <paramref name="maxCount"/> of them follow.</summary>
    void Begin(int top, int maxCount);

    /// <summary>The next rotation of the sweep, on the pair (i, i+1): z_{i+1} &lt;- s z_i + c z_{i+1},
    /// z_i &lt;- c z_i - s z_{i+1} (z the two rows of Q^T).</summary>
    void Rotate(double c, double s);

    /// <summary>The sweep ended after <paramref name="count"/> rotations.</summary>
    void End(int count);
}

/// <summary>The sink of the values-only iteration: records nothing.</summary>
readonly struct NoRotations : ITridiagonalRotationSink
{
    public void Begin(int top, int maxCount) { }
    public void Rotate(double c, double s) { }
    public void End(int count) { }
}

/// <summary>
/// Eigenvalues of a symmetric tridiagonal matrix by the implicit QL iteration with Wilkinson shifts
/// (EISPACK tql2 / LAPACK steqr, QL variant), deflating from the top. The rotations of each sweep go to a
/// sink, which applies them to the eigenvector matrix (or ignores them).
/// </summary>
static class TridiagonalQL
{
    /// <summary>
    /// Overwrites d (n) with the eigenvalues, unsorted, and destroys e (n, e[i] couples i and i+1).
    /// </summary>
    /// <remarks>
    /// An off-diagonal counts as zero once |e_m| &lt;= eps (|d_m| + |d_m+1|), or below eps^2 ||T||: the
    /// backward error is then within a few eps ||T||. The whole matrix gets 30 n iterations (LAPACK's
    /// limit; about 1.5 n are typical); beyond that the iteration throws, which on finite input has not
    /// been seen in practice.
    /// </remarks>
    /// <exception cref="ArithmeticException">The iteration did not converge.</exception>
    public static unsafe void Solve<TSink>(double* d, double* e, int n, ref TSink sink)
        where TSink : struct, ITridiagonalRotationSink
    {
        if (n <= 1)
            return;
        const double eps = 2.220446049250313e-16; // 2^-52
        double norm = 0;
        for (int i = 0; i < n; i++)
            norm = Math.Max(norm, Math.Abs(d[i]) + (i < n - 1 ? Math.Abs(e[i]) : 0) + (i > 0 ? Math.Abs(e[i - 1]) : 0));
        double tiny = eps * eps * norm;
        e[n - 1] = 0;
        long budget = 30L * n;
        for (int l = 0; l < n; l++)
        {
            while (true)
            {
                int m = l;
                for (; m < n - 1; m++)
                {
                    double em = Math.Abs(e[m]);
                    if (em <= eps * (Math.Abs(d[m]) + Math.Abs(d[m + 1])) || em <= tiny)
                    {
                        e[m] = 0;
                        break;
                    }
                }
                if (m == l)
                    break;
                if (--budget < 0)
                    throw new ArithmeticException($"The symmetric QL iteration did not converge for eigenvalue {l} of {n}.");

                // Wilkinson shift: the eigenvalue of the leading 2 x 2 block [d_l e_l; e_l d_l+1] nearer d_l.
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.Sqrt(g * g + 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double s = 1, c = 1, p = 0;
                int i = m - 1;
                sink.Begin(i, m - l);
                for (; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = Math.Sqrt(f * f + g * g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // The bulge vanished (underflow): the block splits at i + 1; finish this sweep early.
                        d[i + 1] -= p;
                        e[m] = 0;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    sink.Rotate(c, s);
                }
                sink.End(m - 1 - i);
                if (r == 0 && i >= l)
                    continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }
}
