using System;
using FsCheck.Xunit;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Blas;

/// <summary>
/// The checks must be able to fail: a tolerance so loose that a missing product term passes, or a sentinel
/// check that looks at nothing, would make every property above vacuous. These tests feed the checks
/// slightly wrong answers and require them to object, and check the references against each other.
/// </summary>
public sealed class OracleSelfTests
{
    static (Dense<float> A, Dense<float> B, Dense<float> C0) Inputs(int m, int n, int k, int seed)
    {
        var rng = new Random(seed);
        var a = new TestMatrix<float>(m, k, Placement.Dense, 0f).FillUniform(rng);
        var b = new TestMatrix<float>(k, n, Placement.Dense, 0f).FillUniform(rng);
        var c = new TestMatrix<float>(m, n, Placement.Dense, 0f).FillUniform(rng);
        return (a.Dense, b.Dense, c.Dense);
    }

    [Theory]
    [InlineData(5, 7, 1)]
    [InlineData(9, 33, 4)]
    [InlineData(13, 17, 300)]
    public void A_result_missing_one_product_term_is_rejected(int m, int n, int k)
    {
        var (a, b, c0) = Inputs(m, n, k, seed: m * 1000 + k);
        var (value, magnitude) = NaiveBlas.Gemm(false, false, 1.0, a, b, 1.0, c0);

        // The correct result, rounded to float, passes.
        var good = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                good[i * n + j] = (float)value[i, j];
        Verify.MatchesReference(new Dense<float>(good, 0, m, n, n), value, magnitude, NaiveBlas.Gamma<float>(k), false, "exact");

        // Drop the largest term of one element: the error is at least |a b| / k of the magnitude.
        int ii = m / 2, jj = n - 1, pBest = 0;
        for (int p = 1; p < k; p++)
        {
            if (Math.Abs(a[ii, p] * b[p, jj]) > Math.Abs(a[ii, pBest] * b[pBest, jj]))
                pBest = p;
        }
        var bad = (float[])good.Clone();
        bad[ii * n + jj] = (float)(value[ii, jj] - (double)a[ii, pBest] * b[pBest, jj]);
        Assert.ThrowsAny<Exception>(() =>
            Verify.MatchesReference(new Dense<float>(bad, 0, m, n, n), value, magnitude, NaiveBlas.Gamma<float>(k), false, "bad"));

        // The residual check sees the same error.
        var t = new double[n];
        t[jj] = 1.0;
        var ct = new double[m];
        var expected = new double[m];
        for (int i = 0; i < m; i++)
        {
            ct[i] = bad[i * n + jj];
            expected[i] = value[i, jj];
        }
        Assert.ThrowsAny<Exception>(() =>
            Verify.Residual(ct, expected, t, magnitude, NaiveBlas.Gamma<float>(k), NaiveBlas.Gamma<double>(n + k), "bad"));
    }

    [Fact]
    public void A_write_outside_the_view_or_into_the_upper_triangle_is_rejected()
    {
        var c = new TestMatrix<double>(4, 4, new Placement(1, 1, 1, 1, 2), -7777.25);
        double[] before = c.Snapshot();
        Verify.Unchanged(before, c.Data, x => c.Contains(x, out _, out _), "nothing written");

        c.Data[0] = 1.0; // row 0 of the parent: outside the view
        Assert.ThrowsAny<Exception>(() => Verify.Unchanged(before, c.Data, x => c.Contains(x, out _, out _), "outside"));

        c.Data[0] = before[0];
        c.At(1, 3) = 5.0; // strict upper triangle
        Assert.ThrowsAny<Exception>(() =>
            Verify.Unchanged(before, c.Data, x => c.Contains(x, out int i, out int j) && j <= i, "upper"));
    }

    [Fact]
    public void A_NaN_or_a_changed_NaN_payload_is_rejected()
    {
        var value = new double[1, 1];
        var magnitude = new double[1, 1] { { 1.0 } };
        Assert.ThrowsAny<Exception>(() =>
            Verify.MatchesReference(new Dense<float>([float.NaN], 0, 1, 1, 1), value, magnitude, 1.0, false, "nan"));

        float quiet = float.NaN, other = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(float.NaN) | 1);
        Assert.ThrowsAny<Exception>(() => Verify.Unchanged([quiet], [other], _ => false, "payload"));
    }

    /// <summary>(A B)^T = B^T A^T: the reference reads transposed operands the way it reads plain ones,
    /// summing the same products in the same order, so the two agree bit for bit.</summary>
    [Property(MaxTest = 40, Replay = "(1234567, 7654321)")]
    public bool Reference_gemm_transposes_consistently(byte mRaw, byte nRaw, byte kRaw, bool ta, bool tb, int seed)
    {
        int m = mRaw % 9, n = nRaw % 9, k = kRaw % 9;
        var rng = new Random(seed);
        var a = new TestMatrix<double>(ta ? k : m, ta ? m : k, Placement.Dense, 0).FillUniform(rng).Dense;
        var b = new TestMatrix<double>(tb ? n : k, tb ? k : n, Placement.Dense, 0).FillUniform(rng).Dense;
        var c0 = new TestMatrix<double>(m, n, Placement.Dense, 0).Dense;
        var ct0 = new TestMatrix<double>(n, m, Placement.Dense, 0).Dense;
        var (ab, _) = NaiveBlas.Gemm(ta, tb, 1.0, a, b, 0.0, c0);
        var (bta, _) = NaiveBlas.Gemm(!tb, !ta, 1.0, b, a, 0.0, ct0);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                if (ab[i, j] != bta[j, i])
                    return false;
        return true;
    }

    /// <summary>SYRK's reference is GEMM's reference with B = A^T on the lower triangle.</summary>
    [Property(MaxTest = 40, Replay = "(7654321, 1234567)")]
    public bool Reference_syrk_is_the_lower_triangle_of_gemm(byte nRaw, byte kRaw, bool trans, int seed)
    {
        int n = nRaw % 10, k = kRaw % 10;
        var rng = new Random(seed);
        var a = new TestMatrix<double>(trans ? k : n, trans ? n : k, Placement.Dense, 0).FillUniform(rng).Dense;
        var c0 = new TestMatrix<double>(n, n, Placement.Dense, 0).FillUniform(rng).Dense;
        var (syrk, _) = NaiveBlas.SyrkLower(trans, -0.5, a, 2.0, c0);
        var (gemm, _) = NaiveBlas.Gemm(trans, !trans, -0.5, a, a, 2.0, c0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                if (syrk[i, j] != gemm[i, j])
                    return false;
        return true;
    }
}
