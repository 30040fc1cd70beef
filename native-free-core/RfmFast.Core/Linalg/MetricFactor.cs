using System;
using System.Numerics;

namespace RfmFast.Core;

/// <summary>
/// A factor F (d x r) of a symmetric positive semidefinite metric, M ~ F F^T, keeping only the eigen-directions
/// that matter at working precision, so that |x - z|_M^2 = |x F - z F|^2 needs r multiply-adds per point
/// instead of d.
/// </summary>
/// <remarks>
/// <para>Why: the AGOP of an RFM collapses its spectrum round after round (M_{t+1} = M_t H M_t squares the
/// decay). After 5 rounds on a target of 4 directions out of 100, 97 of M's eigenvalues add up to less than
/// 6e-8 of the largest: the float rounding of M itself. Dropping them changes no distance by more than the
/// float arithmetic that computes it already does.</para>
/// <para>The rule: with eigenvalues sorted descending and negatives (rounding) clamped to 0, keep the smallest
/// r whose dropped tail sums to at most <c>epsilon * lambda_max</c> (<see cref="Tolerance{T}"/>: d u). The
/// dropped directions change |x - z|_M^2 by at most tail * |x - z|^2 &lt;= epsilon * lambda_max * |x - z|^2,
/// within the rounding bound of the expanded distance in that precision. A full-rank metric keeps r = d
/// (F = V diag(sqrt(lambda)), which is as exact as X M).</para>
/// </remarks>
static class MetricFactor
{
    /// <summary>Metrics up to this order are factored; larger ones are used as they are, because the
    /// eigendecomposition (about 10 d^3 flops) would then cost seconds.</summary>
    public const int MaxFeatures = 1024;

    /// <summary>The relative tail the rule drops for a precision and d: d u (u = 2^-24 for float, 2^-53 for
    /// double), the worst-case rounding bound of a d-term dot product, which is how distances are computed. (With
    /// u alone, double kept eigen-directions that are the eigensolver's own rounding noise, about d u lambda_max.)</summary>
    public static double Tolerance<T>(int d) where T : IFloatingPointIeee754<T> =>
        (typeof(T) == typeof(float) ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53)) * Math.Max(d, 1);

    /// <summary>F as a d x <paramref name="rank"/> row-major array in double, from the d x d row-major
    /// <paramref name="metric"/>, symmetrized. A zero metric gives rank 0.</summary>
    /// <exception cref="ArgumentException">The metric is not d x d, or not finite.</exception>
    public static double[] Compute<T>(ReadOnlySpan<T> metric, int d, double epsilon, out int rank) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (d < 0 || metric.Length != (long)d * d)
            throw new ArgumentException($"The metric has {metric.Length} values; a {d} x {d} matrix has {(long)d * d}.", nameof(metric));
        var m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double v = 0.5 * (double.CreateTruncating(metric[i * d + j]) + double.CreateTruncating(metric[j * d + i]));
                if (!double.IsFinite(v))
                    throw new ArgumentException("The metric has a value that is not finite.", nameof(metric));
                m[i * d + j] = v;
            }
        var w = new double[d];
        var v2 = new double[d * d];
        if (d > 0)
            SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(m, d, d), w, new MatrixView<double>(v2, d, d));
        // Ascending order: the tail is the front. Drop from the smallest up while the dropped sum stays small.
        double top = d > 0 ? Math.Max(w[d - 1], 0) : 0;
        double limit = epsilon * top, tail = 0;
        int drop = 0;
        while (drop < d && tail + Math.Max(w[drop], 0) <= limit)
        {
            tail += Math.Max(w[drop], 0);
            drop++;
        }
        if (top == 0)
            drop = d;
        int r = rank = d - drop;
        // Columns ordered by descending eigenvalue, each scaled by sqrt(lambda).
        var f = new double[d * r];
        for (int c = 0; c < r; c++)
        {
            int e = d - 1 - c;
            double s = Math.Sqrt(Math.Max(w[e], 0));
            for (int i = 0; i < d; i++)
                f[i * r + c] = v2[i * d + e] * s;
        }
        return f;
    }
}
