using System;
using System.Globalization;
using System.Numerics;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Infrastructure;

/// <summary>The comparisons every core property makes; each throws (through xunit) with the first bad element.</summary>
public static class Verify
{
    /// <summary>Every element of <paramref name="after"/> that <paramref name="mayChange"/> rejects holds the
    /// same bits as in <paramref name="before"/>.</summary>
    public static void Unchanged<T>(T[] before, T[] after, Func<int, bool> mayChange, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int x = 0; x < before.Length; x++)
        {
            if (!mayChange(x) && !TestMatrix<T>.BitEqual(before[x], after[x]))
                Assert.Fail($"{what}: element {x} of the buffer changed from {Show(before[x])} to {Show(after[x])}; it must not be written.");
        }
    }

    /// <summary>
    /// |C(i, j) - reference(i, j)| &lt;= gamma * magnitude(i, j) for every element (only j &lt;= i when
    /// <paramref name="lowerOnly"/>), and every element finite.
    /// </summary>
    public static void MatchesReference<T>(Dense<T> c, double[,] value, double[,] magnitude, double gamma,
        bool lowerOnly, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double slack = NaiveBlas.AbsoluteSlack<T>();
        for (int i = 0; i < c.Rows; i++)
        {
            int jEnd = lowerOnly ? Math.Min(c.Cols, i + 1) : c.Cols;
            for (int j = 0; j < jEnd; j++)
            {
                double got = double.CreateTruncating(c[i, j]);
                double want = value[i, j];
                double bound = gamma * magnitude[i, j] + slack;
                if (!double.IsFinite(got) || Math.Abs(got - want) > bound)
                {
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"{context}: C({i}, {j}) = {got:R}, reference {want:R}, error {Math.Abs(got - want):E3} > bound {bound:E3} (gamma {gamma:E2} x magnitude {magnitude[i, j]:E3})."));
                }
            }
        }
    }

    /// <summary>
    /// BLIS's random-vector test: with the result C and t random, r = C t - expected t, where expected t is
    /// computed a different way (products of vectors, never the matrix product). Each |r_i| must stay within
    /// sum_j |t_j| (gamma magnitude(i, j)) plus the rounding of the residual itself in double.
    /// </summary>
    public static void Residual(ReadOnlySpan<double> ct, ReadOnlySpan<double> expected,
        ReadOnlySpan<double> t, double[,] magnitude, double gamma, double gammaResidual, string context)
    {
        int m = ct.Length;
        for (int i = 0; i < m; i++)
        {
            double scale = 0;
            for (int j = 0; j < t.Length; j++)
                scale += Math.Abs(t[j]) * magnitude[i, j];
            double r = ct[i] - expected[i];
            double bound = (gamma + gammaResidual) * scale + 1e-290;
            if (!(Math.Abs(r) <= bound))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{context}: residual (C t - (beta C0 t + alpha A (B t)))[{i}] = {r:E3} > bound {bound:E3}."));
            }
        }
    }

    /// <summary>A random vector in [-1, 1)^n.</summary>
    public static double[] RandomVector(Random rng, int n)
    {
        var t = new double[n];
        for (int j = 0; j < n; j++)
            t[j] = rng.NextDouble() * 2 - 1;
        return t;
    }

    static string Show<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> =>
        double.CreateTruncating(v).ToString("R", CultureInfo.InvariantCulture);
}
