using System;
using FsCheck.Fluent;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>
/// <see cref="MetricFactor"/>: for symmetric PSD metrics of every rank and spectral decay (as an RFM's AGOP
/// produces), the rank is what the rule gives on eigenvalues from a naive Jacobi solver, the kept columns carry
/// those eigenvalues, and F F^T reproduces M up to the dropped part. Checked in double against the metric the
/// factor was built from.
/// </summary>
public sealed class MetricFactorProperties
{
    static readonly FsCheck.Arbitrary<(int D, int K, int Decay, bool Float, int Seed)> Cases =
        (from d in Gen.Frequency((1, Gen.Choose(0, 3)), (4, Gen.Choose(4, 60)))
         from k in Gen.Choose(0, Math.Max(d, 0))
         from decay in Gen.Choose(0, 3)
         from isFloat in Gen.Elements(true, false)
         from seed in Gen.Choose(0, int.MaxValue)
         select (d, k, decay, isFloat, seed)).ToArbitrary();

    [Xunit.Fact]
    public void Factor_reproduces_the_metric_with_the_smallest_rank_the_rule_allows() =>
        PropertyRunner.Check("metric-factor", Cases, c =>
        {
            if (c.Float)
                Check<float>(c.D, c.K, c.Decay, c.Seed);
            else
                Check<double>(c.D, c.K, c.Decay, c.Seed);
        }, 100);

    static void Check<T>(int d, int k, int decay, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        // M = B diag(s) B^T with k random directions and scales decaying like 10^(-decay * 3 * i / k): from a flat
        // spectrum to one spanning 9 orders of magnitude, which straddles float's and double's cut-offs.
        var b = new double[d * k];
        for (int i = 0; i < b.Length; i++)
            b[i] = rng.NextDouble() * 2 - 1;
        var m = new double[d * d];
        for (int t = 0; t < k; t++)
        {
            double s = Math.Pow(10, -decay * 3.0 * t / Math.Max(k, 1));
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    m[i * d + j] += s * b[i * k + t] * b[j * k + t];
        }
        var mt = new T[d * d];
        for (int i = 0; i < mt.Length; i++)
            mt[i] = T.CreateTruncating(m[i]);
        double eps = MetricFactor.Tolerance<T>(d);
        double[] f = MetricFactor.Compute<T>(mt, d, eps, out int r);
        Xunit.Assert.Equal(d * r, f.Length);
        Xunit.Assert.InRange(r, 0, d);

        // The metric as the factor saw it (rounded to T, symmetrized), its trace and largest eigenvalue.
        var ms = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                ms[i * d + j] = 0.5 * (double.CreateTruncating(mt[i * d + j]) + double.CreateTruncating(mt[j * d + i]));
        // The rule applied to eigenvalues from a naive cyclic Jacobi in double.
        double[] lambda = JacobiEigenvalues(ms, d);
        Array.Sort(lambda);
        double top = d == 0 ? 0 : Math.Max(lambda[d - 1], 0);
        double limit = eps * top;
        // Two eigen-solvers agree to about 1e-13 lambda_max here; the rule's count is exact only up to that noise
        // (in double the cut itself is at the noise level, so the window is wide there; in float it is sharp).
        double noise = 1e-13 * top * Math.Max(d, 1);
        int DropCount(double shift)
        {
            if (top == 0)
                return d;
            double tail = 0;
            int drop = 0;
            while (drop < d && tail + Math.Max(lambda[drop] + shift, 0) <= limit)
                tail += Math.Max(lambda[drop++] + shift, 0);
            return drop;
        }
        // Eigenvalues lowered by the noise let the rule drop the most directions; raised, the fewest.
        int fewest = d - DropCount(-noise), most = d - DropCount(noise);
        Xunit.Assert.True(r >= fewest && r <= most, $"d={d} k={k}: rank {r}, the rule on Jacobi's eigenvalues gives {fewest}..{most}");
        // Column norms^2 are the kept eigenvalues, descending.
        var kept = new double[r];
        for (int c = 0; c < r; c++)
            for (int i = 0; i < d; i++)
                kept[c] += f[i * r + c] * f[i * r + c];
        for (int c = 1; c < r; c++)
            Xunit.Assert.True(kept[c] <= kept[c - 1] * (1 + 1e-9) + 1e-300, $"kept eigenvalues not descending at {c}");
        for (int c = 0; c < r; c++)
            Xunit.Assert.True(Math.Abs(kept[c] - lambda[d - 1 - c]) <= noise, $"kept eigenvalue {c}: {kept[c]} vs Jacobi {lambda[d - 1 - c]}");
        // F F^T = M up to the dropped part, entry by entry.
        double worst = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int c = 0; c < r; c++)
                    s += f[i * r + c] * f[j * r + c];
                worst = Math.Max(worst, Math.Abs(s - ms[i * d + j]));
            }
        // What was dropped: its positive part is the rule's tail (negative eigenvalues are rounding, clamped to 0).
        double dropped = 0, tail = 0;
        for (int i = 0; i < d - r; i++)
        {
            dropped += Math.Abs(lambda[i]);
            tail += Math.Max(lambda[i], 0);
        }
        Xunit.Assert.True(worst <= dropped + noise, $"d={d} k={k} r={r}: |F F^T - M| = {worst:E3}");
        Xunit.Assert.True(tail <= limit + noise * (d + 1), $"d={d} k={k} r={r}: dropped tail {tail:E3} > eps * lambda_max {limit:E3}");
        // With a flat spectrum (decay 0) none of the k real directions may go. (Rounding noise in the other
        // d - k may be kept: the rule only drops what it can prove small, so r can exceed k.)
        if (decay == 0)
            Xunit.Assert.True(r >= k, $"d={d} k={k}: rank {r} dropped a real direction");
    }

    /// <summary>All eigenvalues of a symmetric matrix by cyclic Jacobi rotations in double.</summary>
    static double[] JacobiEigenvalues(double[] m, int d)
    {
        var a = (double[])m.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < d; i++)
            {
                diag += a[i * d + i] * a[i * d + i];
                for (int j = i + 1; j < d; j++)
                    off += a[i * d + j] * a[i * d + j];
            }
            if (off <= 1e-32 * diag || off == 0)
                break;
            for (int p = 0; p < d; p++)
                for (int q = p + 1; q < d; q++)
                {
                    double apq = a[p * d + q];
                    if (apq == 0)
                        continue;
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++)
                    {
                        double akp = a[k * d + p], akq = a[k * d + q];
                        a[k * d + p] = c * akp - s * akq;
                        a[k * d + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++)
                    {
                        double apk = a[p * d + k], aqk = a[q * d + k];
                        a[p * d + k] = c * apk - s * aqk;
                        a[q * d + k] = s * apk + c * aqk;
                    }
                }
        }
        var w = new double[d];
        for (int i = 0; i < d; i++)
            w[i] = a[i * d + i];
        return w;
    }
}
