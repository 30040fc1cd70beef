using System;

namespace RfmFast.Core.Linalg;

/// <summary>
/// The k largest eigenvalues of a symmetric tridiagonal matrix by bisection on Sturm counts (LAPACK stebz)
/// and their eigenvectors by inverse iteration (stein), for <see cref="SymmetricEigen"/>'s Top: O(n k)
/// instead of the O(n^2) QL iteration and its O(n^3) rotations.
/// </summary>
/// <remarks>
/// <para>T is first split where an off-diagonal is negligible (|e_i| &lt;= eps (|d_i| + |d_i+1|)), which
/// changes T by at most eps ||T||; each eigenvalue is assigned to its block, and its vector lives on that
/// block only, so vectors of different blocks are exactly orthogonal.</para>
/// <para>Inverse iteration solves (T_b - lambda I) x = y with LU and partial pivoting (tiny pivots replaced by
/// eps ||T_b||), three times from a fixed pseudo-random start. Within a block, eigenvalues closer than
/// 1e-3 ||T_b|| form a cluster: each new vector is orthogonalized (modified Gram-Schmidt, twice) against the
/// cluster's earlier vectors after every solve, and equal eigenvalues are first separated by 10 eps |lambda|,
/// as in stein. The vectors are orthonormal to working accuracy and the residual is O(eps ||T||).</para>
/// </remarks>
static unsafe class TridiagonalInverseIteration
{
    const double Eps = 2.220446049250313e-16;

    /// <summary>The doubles of work <see cref="Largest"/> needs.</summary>
    public static int WorkLength(int n) => 7 * n + 8;

    /// <summary>The ints of work <see cref="Largest"/> needs.</summary>
    public static int IntLength(int n, int k) => 2 * n + k + 2;

    /// <summary>
    /// The k largest eigenvalues of T (d, e with e[i] coupling i and i+1; neither is modified), descending,
    /// into <paramref name="values"/>, and their unit eigenvectors as the rows of <paramref name="z"/> (k rows
    /// of n, leading dimension <paramref name="ldz"/>).
    /// </summary>
    public static void Largest(double* d, double* e, int n, int k, double* values, double* z, nint ldz, double* work, int* ints)
    {
        if (k == 0)
            return;
        double* es = work, u1 = work + n, u2 = u1 + n, u3 = u2 + n, mult = u3 + n, y = mult + n, sq = y + n;
        int* starts = ints, blockOf = ints + n + 1, swap = blockOf + k + 1;

        // Split, and the Gershgorin interval and norm.
        double lo = double.MaxValue, hi = double.MinValue, norm = 0, maxE2 = 0;
        for (int i = 0; i < n; i++)
        {
            double left = i > 0 ? Math.Abs(es[i - 1]) : 0;
            double right = 0;
            es[i] = 0;
            if (i < n - 1)
            {
                double ei = e[i];
                if (Math.Abs(ei) > Eps * (Math.Abs(d[i]) + Math.Abs(d[i + 1])))
                    es[i] = ei;
                right = Math.Abs(es[i]);
            }
            lo = Math.Min(lo, d[i] - left - right);
            hi = Math.Max(hi, d[i] + left + right);
            norm = Math.Max(norm, Math.Abs(d[i]) + left + right);
            maxE2 = Math.Max(maxE2, es[i] * es[i]);
            sq[i] = es[i] * es[i];
        }
        int blocks = 0;
        starts[blocks++] = 0;
        for (int i = 0; i < n - 1; i++)
        {
            if (es[i] == 0)
                starts[blocks++] = i + 1;
        }
        starts[blocks] = n;
        double pivmin = double.Epsilon * 1e16 * Math.Max(1, maxE2);
        double tol = 2 * Eps * Math.Max(norm, double.Epsilon * 1e16);
        lo -= tol + 2 * pivmin;
        hi += tol + 2 * pivmin;

        // Bisection on the global Sturm count, the largest first; each bracket bounds the next from above.
        double upper = hi;
        for (int c = 0; c < k; c++)
        {
            int j = n - 1 - c;
            double a = lo, b = upper;
            while (b - a > tol + Eps * Math.Max(Math.Abs(a), Math.Abs(b)))
            {
                double mid = 0.5 * (a + b);
                if (mid <= a || mid >= b)
                    break;
                if (Count(d, sq, 0, n, mid, pivmin) > j)
                    b = mid;
                else
                    a = mid;
            }
            // Equal eigenvalues can end in brackets whose midpoints are out of order by a rounding: clamp.
            values[c] = c > 0 ? Math.Min(0.5 * (a + b), values[c - 1]) : 0.5 * (a + b);
            upper = b;
            // The block holding eigenvalue j: the eigenvalues in [a, b) have the indices count(a)..count(b)-1,
            // ordered block by block.
            int below = Count(d, sq, 0, n, a, pivmin), want = j - below, owner = blocks - 1;
            for (int q = 0; q < blocks; q++)
            {
                int inBlock = Count(d, sq, starts[q], starts[q + 1], b, pivmin) - Count(d, sq, starts[q], starts[q + 1], a, pivmin);
                if (want < inBlock)
                {
                    owner = q;
                    break;
                }
                want -= inBlock;
            }
            blockOf[c] = owner;
        }

        // Inverse iteration, block by block in the order of the values.
        for (int c = 0; c < k; c++)
        {
            int q = blockOf[c], b0 = starts[q], b1 = starts[q + 1], m = b1 - b0;
            double* x = z + c * ldz;
            new Span<double>(x, n).Clear();
            if (m == 1)
            {
                x[b0] = 1;
                continue;
            }
            double blockNorm = 0;
            for (int i = b0; i < b1; i++)
                blockNorm = Math.Max(blockNorm, Math.Abs(d[i]) + (i > b0 ? Math.Abs(es[i - 1]) : 0) + (i < b1 - 1 ? Math.Abs(es[i]) : 0));
            double cluster = 1e-3 * blockNorm;
            double lambda = values[c];
            // Separate from the previous value of the same block if they coincide.
            for (int p = c - 1; p >= 0; p--)
            {
                if (blockOf[p] != q)
                    continue;
                double pert = 10 * Eps * Math.Max(Math.Abs(lambda), blockNorm * 1e-3);
                if (values[p] - lambda < pert)
                    lambda = values[p] - pert;
                break;
            }
            Factor(d + b0, es + b0, m, lambda, Math.Max(Eps * blockNorm, pivmin), u1, u2, u3, mult, swap);
            // A fixed start, different per vector: a simple linear congruential sequence in [-1, 1).
            ulong state = 0x9E3779B97F4A7C15UL * (ulong)(c + 1);
            for (int i = 0; i < m; i++)
            {
                state = state * 6364136223846793005UL + 1442695040888963407UL;
                y[i] = (state >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
            }
            for (int iteration = 0; iteration < 3; iteration++)
            {
                Solve(m, u1, u2, u3, mult, swap, y);
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int p = 0; p < c; p++)
                    {
                        if (blockOf[p] != q || Math.Abs(values[p] - values[c]) > cluster)
                            continue;
                        double* other = z + p * ldz + b0;
                        double dot = 0;
                        for (int i = 0; i < m; i++)
                            dot += other[i] * y[i];
                        for (int i = 0; i < m; i++)
                            y[i] -= dot * other[i];
                    }
                }
                Normalize(y, m);
            }
            new Span<double>(y, m).CopyTo(new Span<double>(x + b0, m));
        }
    }

    /// <summary>The number of eigenvalues of T's rows r0..r1-1 below x (Sturm sequence of the LDL^T pivots;
    /// tiny pivots are pushed to -pivmin, as in LAPACK laebz).</summary>
    static int Count(double* d, double* sq, int r0, int r1, double x, double pivmin)
    {
        int count = 0;
        double q = d[r0] - x;
        if (Math.Abs(q) < pivmin)
            q = -pivmin;
        if (q < 0)
            count++;
        for (int i = r0 + 1; i < r1; i++)
        {
            q = d[i] - x - sq[i - 1] / q;
            if (Math.Abs(q) < pivmin)
                q = -pivmin;
            if (q < 0)
                count++;
        }
        return count;
    }

    /// <summary>LU with partial pivoting of the m x m block T - lambda I (diagonal d, off-diagonals e):
    /// U's diagonals in u1, u2, u3, the multipliers in mult, the row interchanges in swap (LAPACK lagtf).
    /// Pivots below <paramref name="small"/> in magnitude are replaced by +-small.</summary>
    static void Factor(double* d, double* e, int m, double lambda, double small, double* u1, double* u2, double* u3,
        double* mult, int* swap)
    {
        double diag = d[0] - lambda, sup = m > 1 ? e[0] : 0;
        for (int i = 0; i < m - 1; i++)
        {
            // Row i is (diag, sup, 0) in columns i, i+1, i+2; row i+1 is (e_i, d_i+1 - lambda, e_i+1).
            double sub = e[i], next = d[i + 1] - lambda, nextSup = i + 1 < m - 1 ? e[i + 1] : 0;
            if (Math.Abs(diag) >= Math.Abs(sub))
            {
                if (Math.Abs(diag) < small)
                    diag = diag >= 0 ? small : -small;
                double l = sub / diag;
                u1[i] = diag;
                u2[i] = sup;
                u3[i] = 0;
                mult[i] = l;
                swap[i] = 0;
                diag = next - l * sup;
                sup = nextSup;
            }
            else
            {
                double l = diag / sub;
                u1[i] = sub;
                u2[i] = next;
                u3[i] = nextSup;
                mult[i] = l;
                swap[i] = 1;
                diag = sup - l * next;
                sup = -l * nextSup;
            }
        }
        if (Math.Abs(diag) < small)
            diag = diag >= 0 ? small : -small;
        u1[m - 1] = diag;
        u2[m - 1] = 0;
        u3[m - 1] = 0;
    }

    /// <summary>Overwrites y with (T - lambda I)^-1 y from the factors of <see cref="Factor"/>, rescaled to a
    /// maximum of 1 when it grows large (only the direction matters).</summary>
    static void Solve(int m, double* u1, double* u2, double* u3, double* mult, int* swap, double* y)
    {
        for (int i = 0; i < m - 1; i++)
        {
            if (swap[i] != 0)
                (y[i], y[i + 1]) = (y[i + 1], y[i]);
            y[i + 1] -= mult[i] * y[i];
        }
        double max = 0;
        for (int i = m - 1; i >= 0; i--)
        {
            double s = y[i];
            if (i + 1 < m)
                s -= u2[i] * y[i + 1];
            if (i + 2 < m)
                s -= u3[i] * y[i + 2];
            y[i] = s / u1[i];
            max = Math.Max(max, Math.Abs(y[i]));
            if (max > 1e150)
            {
                // Keep the back substitution finite: scale the solved part and the rest of the right-hand
                // side alike, which scales the solution.
                double f = 1 / max;
                for (int t = 0; t < m; t++)
                    y[t] *= f;
                max = 1;
            }
        }
    }

    static void Normalize(double* y, int m)
    {
        double max = 0;
        for (int i = 0; i < m; i++)
            max = Math.Max(max, Math.Abs(y[i]));
        if (max == 0)
        {
            y[0] = 1;
            return;
        }
        double s = 0;
        for (int i = 0; i < m; i++)
        {
            y[i] /= max;
            s += y[i] * y[i];
        }
        double f = 1 / Math.Sqrt(s);
        for (int i = 0; i < m; i++)
            y[i] *= f;
    }
}
