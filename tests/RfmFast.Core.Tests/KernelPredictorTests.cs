using System;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>
/// <see cref="KernelPredictor{T}"/>, the public single-sample predictor: against a double evaluation of
/// f(x) = sum_i alpha_i k(|x - x_i|_M) for a low-rank metric (factored), a full-rank one and one too large to factor,
/// the same result shared or not, and its argument checks. (The property tests cover the kernels under it on every tier.)
/// </summary>
public sealed class KernelPredictorTests
{
    [Theory]
    [InlineData(300, 12, 1, 3)]
    [InlineData(700, 20, 3, 20)]
    [InlineData(40, 1030, 2, 1030)]
    public void Predictions_match_a_double_evaluation(int n, int d, int c, int rank)
    {
        float[] x = TestData.Uniform<float>(n * d, n + d), alpha = TestData.Uniform<float>(n * c, 2 * n);
        float[] m = LowRankMetric(d, rank, 3);
        var kernel = KernelFunction.Laplace(2.0);
        var predictor = new KernelPredictor<float>(new ReadOnlyMatrixView<float>(x, n, d), new ReadOnlyMatrixView<float>(alpha, n, c),
            new ReadOnlyMatrixView<float>(m, d, d), kernel, 2);
        Assert.Equal(n, predictor.Centers);
        Assert.Equal(d, predictor.Features);
        Assert.Equal(c, predictor.Outputs);
        Assert.Equal(d > KernelPredictor<float>.MaxFactoredFeatures ? d : rank, predictor.Rank);
        float[] q = TestData.Uniform<float>(d, 77);
        var shared = new float[c];
        var alone = new float[c];
        predictor.Predict(q, shared, share: true);
        predictor.Predict(q, alone, share: false);
        Assert.Equal(alone, shared);
        for (int o = 0; o < c; o++)
        {
            double expected = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                double k = Math.Exp(-Math.Sqrt(Math.Max(0, Quadratic(q, x.AsSpan(i * d, d), m, d))) / 2.0);
                expected += alpha[i * c + o] * k;
                scale += Math.Abs(alpha[i * c + o] * k);
            }
            Assert.True(Math.Abs(alone[o] - expected) <= 1e-4 * scale, $"output {o}: {alone[o]} vs {expected} (scale {scale})");
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_any_work()
    {
        double[] x = new double[12], alpha = new double[4], m = new double[9];
        var kernel = KernelFunction.Gaussian(1);
        KernelPredictor<double> Build(double[] centers, int n, double[] coefficients, double[] metric, int d, KernelFunction k, int workers) =>
            new(new ReadOnlyMatrixView<double>(centers, n, 3), new ReadOnlyMatrixView<double>(coefficients, coefficients.Length, 1),
                new ReadOnlyMatrixView<double>(metric, d, d), k, workers);
        Assert.Throws<ArgumentException>("coefficients", () => Build(x, 4, new double[3], m, 3, kernel, 1));
        Assert.Throws<ArgumentException>("metric", () => Build(x, 4, alpha, new double[4], 2, kernel, 1));
        Assert.Throws<ArgumentException>("kernel", () => Build(x, 4, alpha, m, 3, default, 1));
        Assert.Throws<ArgumentOutOfRangeException>("workers", () => Build(x, 4, alpha, m, 3, kernel, 0));
        var bad = new double[9];
        bad[4] = double.NaN;
        Assert.Throws<ArgumentException>("metric", () => Build(x, 4, alpha, bad, 3, kernel, 1));
        var predictor = Build(x, 4, alpha, m, 3, kernel, 1);
        Assert.Throws<ArgumentException>("sample", () => predictor.Predict(new double[2], new double[1]));
        Assert.Throws<ArgumentException>("output", () => predictor.Predict(new double[3], Span<double>.Empty));
    }

    [Fact]
    public void A_zero_metric_has_rank_zero_and_predicts_the_sum_of_the_coefficients()
    {
        var predictor = new KernelPredictor<double>(new ReadOnlyMatrixView<double>(TestData.Uniform<double>(10, 1), 5, 2),
            new ReadOnlyMatrixView<double>([1, 2, 3, 4, 5], 5, 1), new ReadOnlyMatrixView<double>(new double[4], 2, 2), KernelFunction.Laplace(1), 1);
        Assert.Equal(0, predictor.Rank);
        var output = new double[1];
        predictor.Predict([0.5, -0.5], output);
        Assert.Equal(15, output[0], 12);
    }

    /// <summary>M = G G^T / d with G d x rank, in float.</summary>
    static float[] LowRankMetric(int d, int rank, int seed)
    {
        double[] g = TestData.Uniform<double>(d * rank, seed);
        var m = new float[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < rank; k++)
                    s += g[i * rank + k] * g[j * rank + k];
                m[i * d + j] = m[j * d + i] = (float)(s / d);
            }
        return m;
    }

    static double Quadratic(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float[] m, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++)
        {
            double ri = (double)a[i] - b[i], row = 0;
            for (int j = 0; j < d; j++)
                row += m[i * d + j] * ((double)a[j] - b[j]);
            s += ri * row;
        }
        return s;
    }
}
