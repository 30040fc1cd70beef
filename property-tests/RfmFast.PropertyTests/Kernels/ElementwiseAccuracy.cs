using System;
using System.Globalization;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Kernels;

/// <summary>
/// The documented error of the core's vectorized exp and log, measured over their whole useful range on
/// every accelerated tier: a dense sweep (every vector-width tail included, since the length is odd),
/// compared in ulps of the result with Math.Exp / Math.Log in double (for the float versions that is the
/// correctly rounded value to within 1e-16 relative; for double it is itself within 1 ulp).
/// </summary>
public sealed class ElementwiseAccuracy(ITestOutputHelper output)
{
    /// <summary>The bounds the core documents (Simd/VectorMath.cs).</summary>
    const double ExpFloatUlp = 2, ExpDoubleUlp = 3, LogFloatUlp = 3, LogDoubleUlp = 3;

    const int Points = 400_001;

    public static TheoryData<IsaTier> AllTiers => Tiers.Accelerated;

    static double UlpOf(double exact, bool isFloat)
    {
        if (isFloat)
        {
            float f = Math.Abs((float)exact);
            return Math.Max(MathF.BitIncrement(f) - f, float.Epsilon);
        }
        double a = Math.Abs(exact);
        return Math.Max(Math.BitIncrement(a) - a, double.Epsilon);
    }

    [Theory, MemberData(nameof(AllTiers))]
    public void Exp_float_is_within_its_documented_ulp_bound(IsaTier tier)
    {
        float lo = -86.98f, hi = 88.72f;
        var x = new float[Points];
        for (int i = 0; i < Points; i++)
            x[i] = lo + (hi - lo) * i / (Points - 1);
        var y = new float[Points];
        Elementwise.Exp(tier, x, y);
        double worst = 0;
        for (int i = 0; i < Points; i++)
        {
            double exact = Math.Exp(x[i]);
            double err = Math.Abs(y[i] - exact) / UlpOf(exact, true);
            worst = Math.Max(worst, err);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exp float {tier}: max error {worst:F3} ulp over [{lo}, {hi}]"));
        Assert.True(worst <= ExpFloatUlp, $"max error {worst} ulp");
    }

    [Theory, MemberData(nameof(AllTiers))]
    public void Exp_double_is_within_its_documented_ulp_bound(IsaTier tier)
    {
        double lo = -708.0, hi = 709.78;
        var x = new double[Points];
        for (int i = 0; i < Points; i++)
            x[i] = lo + (hi - lo) * i / (Points - 1);
        var y = new double[Points];
        Elementwise.Exp(tier, x, y);
        double worst = 0;
        for (int i = 0; i < Points; i++)
        {
            double exact = Math.Exp(x[i]);
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / UlpOf(exact, false));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exp double {tier}: max error {worst:F3} ulp over [{lo}, {hi}]"));
        Assert.True(worst <= ExpDoubleUlp, $"max error {worst} ulp");
    }

    [Theory, MemberData(nameof(AllTiers))]
    public void Exp_special_values(IsaTier tier)
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 89f, 1000f, -87.5f, -1000f, 88.72f, -86.9f];
        var y = new float[x.Length];
        Elementwise.Exp(tier, x, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(float.PositiveInfinity, y[1]);
        Assert.Equal(0f, y[2]);
        Assert.Equal(1f, y[3]);
        Assert.Equal(1f, y[4]);
        Assert.Equal(float.PositiveInfinity, y[5]);
        Assert.Equal(float.PositiveInfinity, y[6]);
        Assert.Equal(0f, y[7]); // below the documented flush threshold
        Assert.Equal(0f, y[8]);
        Assert.True(float.IsFinite(y[9]) && y[9] > 3.3e38f, $"exp(88.72) = {y[9]}");
        Assert.True(y[10] > 0, $"exp(-86.9) = {y[10]}");

        double[] xd = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, 710, -709, 709.78];
        var yd = new double[xd.Length];
        Elementwise.Exp(tier, xd, yd);
        Assert.True(double.IsNaN(yd[0]));
        Assert.Equal(double.PositiveInfinity, yd[1]);
        Assert.Equal(0, yd[2]);
        Assert.Equal(1, yd[3]);
        Assert.Equal(double.PositiveInfinity, yd[4]);
        Assert.Equal(0, yd[5]);
        Assert.True(double.IsFinite(yd[6]) && yd[6] > 1.7e308);
    }

    [Theory, MemberData(nameof(AllTiers))]
    public void Log_float_is_within_its_documented_ulp_bound(IsaTier tier)
    {
        // Log-uniform over the normal range, plus a dense band around 1 where log is near 0.
        var x = new float[Points];
        for (int i = 0; i < Points; i++)
            x[i] = i % 2 == 0 ? MathF.Pow(2f, -125.9f + 253.8f * i / (Points - 1)) : 0.75f + 0.5f * i / (Points - 1);
        var y = new float[Points];
        Elementwise.Log(tier, x, y);
        double worst = 0;
        for (int i = 0; i < Points; i++)
        {
            double exact = Math.Log(x[i]);
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / UlpOf(exact, true));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log float {tier}: max error {worst:F3} ulp"));
        Assert.True(worst <= LogFloatUlp, $"max error {worst} ulp");
    }

    [Theory, MemberData(nameof(AllTiers))]
    public void Log_double_is_within_its_documented_ulp_bound(IsaTier tier)
    {
        var x = new double[Points];
        for (int i = 0; i < Points; i++)
            x[i] = i % 2 == 0 ? Math.Pow(2, -1021.9 + 2045.8 * i / (Points - 1)) : 0.75 + 0.5 * i / (Points - 1);
        var y = new double[Points];
        Elementwise.Log(tier, x, y);
        double worst = 0;
        for (int i = 0; i < Points; i++)
        {
            double exact = Math.Log(x[i]);
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / UlpOf(exact, false));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log double {tier}: max error {worst:F3} ulp"));
        Assert.True(worst <= LogDoubleUlp, $"max error {worst} ulp");
    }

    [Theory, MemberData(nameof(AllTiers))]
    public void Log_special_values(IsaTier tier)
    {
        float[] x = [float.NaN, float.PositiveInfinity, 0f, -1f, 1f, 1e-40f, float.NegativeInfinity];
        var y = new float[x.Length];
        Elementwise.Log(tier, x, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(float.PositiveInfinity, y[1]);
        Assert.Equal(float.NegativeInfinity, y[2]);
        Assert.True(float.IsNaN(y[3]));
        Assert.Equal(0f, y[4]);
        Assert.Equal(float.NegativeInfinity, y[5]); // subnormal: documented as 0
        Assert.True(float.IsNaN(y[6]));
    }

    [Fact]
    public void Elementwise_rejects_a_short_or_partly_overlapping_destination()
    {
        var buf = new float[10];
        Assert.Throws<ArgumentException>(() => Elementwise.Exp(buf.AsSpan(0, 5), buf.AsSpan(6, 4)));
        Assert.Throws<ArgumentException>(() => Elementwise.Exp(buf.AsSpan(0, 5), buf.AsSpan(1, 5)));
        Elementwise.Exp(buf.AsSpan(0, 5), buf.AsSpan(0, 5)); // in place is allowed
        Assert.Equal(1f, buf[0]);
    }
}
