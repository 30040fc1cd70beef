using System;
using System.Globalization;
using System.Numerics;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>One generated factorization problem: order N, C right-hand sides, placement of A and B.</summary>
public sealed record CholeskyCase(int N, int C, Placement PlaceA, Placement PlaceB, int Seed);

/// <summary>The checks behind the Cholesky properties: backward errors in the norms of the issue.</summary>
public static class CholeskyChecks
{
    public static TestMatrix<T> Load<T>(double[,] a, Placement place, T outside) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.GetLength(0);
        var m = new TestMatrix<T>(n, n, place, outside);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m.At(i, j) = T.CreateTruncating(a[i, j]);
        return m;
    }

    /// <summary>The same matrix as the core sees it (rounded to T), in double.</summary>
    public static double[,] Rounded<T>(TestMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> => m.ToDoubles();

    /// <summary>Factor, then ||A - L L^T||_F / ||A||_F &lt;= 4 n eps, the strict upper triangle and the rest of
    /// the buffer untouched; then solve C right-hand sides and check ||A x - b|| / (||A|| ||x||) &lt;= 4 n eps
    /// per column; then the log-determinant against the double factor.</summary>
    public static void FactorAndSolve<T>(CholeskyCase c, IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int n = c.N;
        var a0 = NaiveCholesky.RandomSymmetric(n, Math.Max(1, n / 2), 0.5, rng);
        var a = Load(a0, c.PlaceA, T.CreateTruncating(-99.0));
        double[,] ar = Rounded(a);
        T[] before = a.Snapshot();
        double eps = NaiveBlas.MachineEpsilon<T>();
        string ctx = string.Create(CultureInfo.InvariantCulture, $"{c} on {tier}/{workers}");

        Cholesky.Factor(tier, workers, a.View());
        Verify.Unchanged(before, a.Data, idx => a.Contains(idx, out int i, out int j) && j <= i, "Cholesky outside the lower triangle");
        double norm = NaiveCholesky.Frobenius(ar);
        double res = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = 0; p <= j; p++)
                    s += double.CreateTruncating(a.At(i, p)) * double.CreateTruncating(a.At(j, p));
                double e = ar[i, j] - s;
                res += (i == j ? 1 : 2) * e * e;
            }
        }
        double rel = n == 0 ? 0 : Math.Sqrt(res) / norm;
        Assert.True(rel <= 4 * n * eps, $"||A - L L^T||_F / ||A||_F = {rel:E3} > {4 * n * eps:E3}: {ctx}");

        // Solve.
        var b = new TestMatrix<T>(n, c.C, c.PlaceB, T.CreateTruncating(-77.0)).FillUniform(rng);
        double[,] br = Rounded(b);
        T[] bBefore = b.Snapshot();
        T[] lBefore = a.Snapshot();
        Cholesky.Solve(tier, workers, a.ReadOnly(), b.View());
        Verify.Unchanged(bBefore, b.Data, idx => b.Contains(idx, out _, out _), "Solve outside B");
        Verify.Unchanged(lBefore, a.Data, _ => false, "Solve must not write L");
        double normA = NaiveCholesky.Frobenius(ar);
        for (int col = 0; col < c.C; col++)
        {
            double rr = 0, xx = 0;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                    s += ar[i, j] * double.CreateTruncating(b.At(j, col));
                rr += (s - br[i, col]) * (s - br[i, col]);
                xx += Math.Pow(double.CreateTruncating(b.At(i, col)), 2);
            }
            double back = n == 0 ? 0 : Math.Sqrt(rr) / (normA * Math.Sqrt(xx) + double.Epsilon);
            Assert.True(back <= 4 * n * eps, $"solve backward error {back:E3} > {4 * n * eps:E3}, column {col}: {ctx}");
        }

        // Log-determinant against the double factor of the rounded A.
        if (n > 0)
        {
            double[,] lref = NaiveCholesky.Factor(ar)!;
            double want = 0;
            for (int i = 0; i < n; i++)
                want += 2 * Math.Log(lref[i, i]);
            double got = Cholesky.LogDeterminant<T>(a.ReadOnly());
            Assert.True(Math.Abs(got - want) <= 8 * n * eps * (1 + Math.Abs(want)) + 4 * n * eps * 10, $"logdet {got} vs {want}: {ctx}");
        }
    }
}
