using System;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>The fit precision option and the double-precision inputs: a float64 model computes in double
/// whatever the input type, a float model accepts double inputs, and the two precisions agree to float accuracy.</summary>
public sealed class PrecisionTests
{
    const int N = 120, D = 5;

    static (float[,] X, int[] Labels) Blobs(int seed)
    {
        var x = Gaussian(N, D, seed);
        var labels = new int[N];
        for (int i = 0; i < N; i++)
        {
            labels[i] = i % 3 * 10; // labels 0, 10, 20: mapped to classes
            x[i, 0] += 3 * (i % 3);
        }
        return (x, labels);
    }

    [Fact]
    public void A_float64_classifier_predicts_like_the_float_one_and_gives_probabilities()
    {
        var (x, labels) = Blobs(3);
        var (xt, _) = Blobs(4);
        var options = new RfmOptions { Iterations = 2, ValidationFraction = 0 };
        var m32 = new RfmClassifier(options).Fit(x, labels, cancellationToken: Ct);
        var m64 = new RfmClassifier(options with { Precision = FitPrecision.Float64 }).Fit(ToDouble(x), labels, cancellationToken: Ct);
        Assert.Equal(FitPrecision.Float32, m32.Precision);
        Assert.Equal(FitPrecision.Float64, m64.Precision);
        Assert.Equal(m32.Predict(xt), m64.Predict(ToDouble(xt)));
        Assert.Equal(m64.Predict(xt), m64.Predict(ToDouble(xt)));
        double[,] p = m64.PredictProba(ToDouble(xt));
        for (int i = 0; i < N; i++)
        {
            double s = 0;
            for (int k = 0; k < 3; k++)
            {
                Assert.InRange(p[i, k], 0, 1);
                s += p[i, k];
            }
            Assert.Equal(1, s, 1e-12);
        }
        Assert.Equal([0, 10, 20], m64.Classes);
    }

    [Fact]
    public void The_two_precisions_agree_to_float_accuracy_and_accept_either_input()
    {
        var x = Gaussian(N, D, 5);
        var y = new float[N, 1];
        for (int i = 0; i < N; i++)
            y[i, 0] = (float)Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2];
        var xt = Gaussian(40, D, 6);
        var options = new RfmOptions { Iterations = 2, ValidationFraction = 0 };
        var m32 = new RfmRegressor(options).Fit(x, y, cancellationToken: Ct);
        var m64 = new RfmRegressor(options with { Precision = FitPrecision.Float64 }).Fit(x, y, cancellationToken: Ct);
        float[,] p32 = m32.PredictRaw(xt);
        double[,] p32d = m32.PredictRaw(ToDouble(xt));
        double[,] p64 = m64.PredictRaw(ToDouble(xt));
        float[,] p64f = m64.PredictRaw(xt);
        double scale = 0;
        for (int i = 0; i < 40; i++)
            scale = Math.Max(scale, Math.Abs(p64[i, 0]));
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(p32[i, 0], p32d[i, 0], 1e-6 * scale);
            Assert.Equal(p64[i, 0], p64f[i, 0], 1e-6 * scale);
            Assert.Equal(p64[i, 0], p32[i, 0], 1e-3 * scale);
        }
        Assert.Equal(m32.FeatureImportances().Length, m64.FeatureImportances().Length);
    }
}
