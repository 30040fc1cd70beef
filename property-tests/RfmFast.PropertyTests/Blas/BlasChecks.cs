using System;
using System.Numerics;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using CoreBlas = RfmFast.Core.Blas;

namespace RfmFast.PropertyTests.Blas;

/// <summary>
/// Runs one GEMM or SYRK case through the core on a given tier and worker count and checks everything
/// about the result: inputs untouched, nothing outside C (or above its diagonal) written, every element
/// within the reduction-length tolerance of the double reference, and the random-vector residual.
/// </summary>
public static class BlasChecks
{
    static T Outside<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(-7777.25);

    static T AboveDiagonal<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(4242.5);

    public static void Gemm<T>(GemmCase c, IsaTier tier, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int m = c.M, n = c.N, k = c.K;
        var a = new TestMatrix<T>(c.TransA ? k : m, c.TransA ? m : k, c.PlaceA, Outside<T>()).FillUniform(rng);
        var b = new TestMatrix<T>(c.TransB ? n : k, c.TransB ? k : n, c.PlaceB, Outside<T>()).FillUniform(rng);
        var cm = new TestMatrix<T>(m, n, c.PlaceC, Outside<T>());
        if (c.Beta == 0)
            cm.FillWith(T.NaN);
        else
            cm.FillUniform(rng);
        T[] a0 = a.Snapshot(), b0 = b.Snapshot(), c0 = cm.Snapshot();
        T alpha = T.CreateTruncating(c.Alpha), beta = T.CreateTruncating(c.Beta);

        CoreBlas.Gemm(tier, workers, c.TransA ? Transpose.Yes : Transpose.No, c.TransB ? Transpose.Yes : Transpose.No,
            alpha, a.ReadOnly(), b.ReadOnly(), beta, cm.View());

        string context = $"{typeof(T).Name} GEMM on {tier}, {workers} worker(s), {c}";
        Verify.Unchanged(a0, a.Data, _ => false, context + ", buffer of A");
        Verify.Unchanged(b0, b.Data, _ => false, context + ", buffer of B");
        Verify.Unchanged(c0, cm.Data, x => cm.Contains(x, out _, out _), context + ", buffer of C outside the view");

        var (value, magnitude) = NaiveBlas.Gemm(c.TransA, c.TransB, c.Alpha, a.Dense, b.Dense, c.Beta, cm.DenseOver(c0));
        double gamma = NaiveBlas.Gamma<T>(k);
        Verify.MatchesReference(cm.Dense, value, magnitude, gamma, lowerOnly: false, context);

        // C t against beta C0 t + alpha op(A) (op(B) t): only matrix-vector products on the right.
        double[] t = Verify.RandomVector(rng, n);
        double[] ct = RowDots(cm.Dense, t, lowerSymmetric: false);
        double[] abt = NaiveBlas.Gemv(c.TransA, a.Dense, NaiveBlas.Gemv(c.TransB, b.Dense, t));
        double[] c0t = c.Beta == 0 ? new double[m] : RowDots(cm.DenseOver(c0), t, lowerSymmetric: false);
        var expected = new double[m];
        for (int i = 0; i < m; i++)
            expected[i] = c.Alpha * abt[i] + c.Beta * c0t[i];
        Verify.Residual(ct, expected, t, magnitude, gamma, 2 * NaiveBlas.Gamma<double>(n + k), context);
    }

    public static void Syrk<T>(SyrkCase c, IsaTier tier, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int n = c.N, k = c.K;
        var a = new TestMatrix<T>(c.Trans ? k : n, c.Trans ? n : k, c.PlaceA, Outside<T>()).FillUniform(rng);
        var cm = new TestMatrix<T>(n, n, c.PlaceC, Outside<T>());
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                cm.At(i, j) = j > i ? AboveDiagonal<T>()
                    : c.Beta == 0 ? T.NaN
                    : T.CreateTruncating(rng.NextDouble() * 2 - 1);
            }
        }
        T[] a0 = a.Snapshot(), c0 = cm.Snapshot();
        T alpha = T.CreateTruncating(c.Alpha), beta = T.CreateTruncating(c.Beta);

        CoreBlas.Syrk(tier, workers, c.Trans ? Transpose.Yes : Transpose.No, alpha, a.ReadOnly(), beta, cm.View());

        string context = $"{typeof(T).Name} SYRK on {tier}, {workers} worker(s), {c}";
        Verify.Unchanged(a0, a.Data, _ => false, context + ", buffer of A");
        Verify.Unchanged(c0, cm.Data, x => cm.Contains(x, out int i, out int j) && j <= i,
            context + ", buffer of C outside the lower triangle");

        var (value, magnitude) = NaiveBlas.SyrkLower(c.Trans, c.Alpha, a.Dense, c.Beta, cm.DenseOver(c0));
        double gamma = NaiveBlas.Gamma<T>(k);
        Verify.MatchesReference(cm.Dense, value, magnitude, gamma, lowerOnly: true, context);

        // The symmetric C = tril(C) + tril(C, -1)^T against beta C0_sym t + alpha op(A) (op(A)^T t).
        var magSym = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                magSym[i, j] = j <= i ? magnitude[i, j] : magnitude[j, i];
        double[] t = Verify.RandomVector(rng, n);
        double[] ct = RowDots(cm.Dense, t, lowerSymmetric: true);
        double[] aat = NaiveBlas.Gemv(c.Trans, a.Dense, NaiveBlas.Gemv(!c.Trans, a.Dense, t));
        double[] c0t = c.Beta == 0 ? new double[n] : RowDots(cm.DenseOver(c0), t, lowerSymmetric: true);
        var expected = new double[n];
        for (int i = 0; i < n; i++)
            expected[i] = c.Alpha * aat[i] + c.Beta * c0t[i];
        Verify.Residual(ct, expected, t, magSym, gamma, 2 * NaiveBlas.Gamma<double>(n + k), context);
    }

    /// <summary>M t in double; with <paramref name="lowerSymmetric"/>, M is read as the symmetric matrix
    /// whose lower triangle is stored.</summary>
    static double[] RowDots<T>(Dense<T> mat, double[] t, bool lowerSymmetric)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = new double[mat.Rows];
        for (int i = 0; i < mat.Rows; i++)
        {
            double s = 0;
            for (int j = 0; j < mat.Cols; j++)
            {
                T v = lowerSymmetric && j > i ? mat[j, i] : mat[i, j];
                s += double.CreateTruncating(v) * t[j];
            }
            y[i] = s;
        }
        return y;
    }
}
