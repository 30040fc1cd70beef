using System;
using System.Linq;
using System.Text;
using RfmFast.Core;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>
/// Agreement with the numpy reference (../shared/peers/numpy_rfm.py, through oracle/oracle.py) per iteration,
/// on the same data and settings: Laplace kernel, L = 10, reg = 1e-3, 5 AGOP rounds, M = mean AGOP over all
/// training points (or divided by its largest entry), test set = RfmFast's validation set.
/// </summary>
/// <remarks>
/// By default the estimator computes in float (kernel, AGOP, predictions; the solve is mixed precision), so it is
/// compared with the reference in float64 at float-appropriate tolerances. With FitPrecision.Float64 it must match
/// the reference's float64 predictions and M at every iteration to 1e-4 relative; so must the same loop assembled
/// from the core's double routines (KernelMatrix, Cholesky, Gemm, Agop), one level down.
/// </remarks>
public sealed class ReferenceTests(ITestOutputHelper output)
{
    const int N = 400, M = 200, D = 10, C = 2, Iters = 5;
    const double Bandwidth = 10, Reg = 1e-3;

    /// <summary>numpy_rfm.make_data's target on seeded Gaussian data, already float (both sides see the same values).</summary>
    static (float[,] X, float[,] Y, float[,] Xte, float[,] Yte) Data()
    {
        var x = Gaussian(N, D, 77);
        var xte = Gaussian(M, D, 78);
        return (x, TwoCoordinateTarget(x, C), xte, TwoCoordinateTarget(xte, C));
    }

    static double[] Flat(float[,] a) => a.Cast<float>().Select(v => (double)v).ToArray();

    static OracleResult Reference(string dtype, string mNorm)
    {
        var (x, y, xte, yte) = Data();
        return Oracle.Run(Flat(x), Flat(y), Flat(xte), Flat(yte), N, M, D, C, Bandwidth, Reg, Iters, dtype, mNorm);
    }

    /// <summary>max |a - b| / max |b|: the error relative to the size of the reference values (element-wise relative
    /// error is meaningless for predictions that cross zero).</summary>
    static double RelErr(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double e = 0, s = 0;
        for (int i = 0; i < b.Length; i++)
        {
            e = Math.Max(e, Math.Abs(a[i] - b[i]));
            s = Math.Max(s, Math.Abs(b[i]));
        }
        return e / s;
    }

    [Fact]
    public void The_oracle_loop_is_the_reference_fit()
    {
        // oracle.py steps through numpy_rfm's functions to keep the intermediate results; its test MSEs must be
        // those of numpy_rfm.fit itself.
        var r = Reference("float64", "n");
        Assert.Equal(Iters + 1, r.Mse.Length);
        for (int t = 0; t <= Iters; t++)
            Assert.Equal(r.FitMse[t], r.Mse[t], 1e-12 * r.FitMse[t]);
    }

    [Theory]
    [InlineData(MetricNormalization.Mean, "n")]
    [InlineData(MetricNormalization.MaxEntry, "max")]
    public void Estimator_matches_the_reference_per_iteration_in_float(MetricNormalization norm, string mNorm)
    {
        var (x, y, xte, yte) = Data();
        var r64 = Reference("float64", mNorm);
        var r32 = Reference("float32", mNorm);
        var options = new RfmOptions
        {
            Bandwidth = Bandwidth, Reg = Reg, Iterations = Iters, Normalization = norm, EarlyStopMultiplier = double.MaxValue,
        };

        // One fit with the test set as validation data: the history's MSE per iteration.
        var withTest = new RfmRegressor(options).Fit(x, y, xte, yte, cancellationToken: Ct);
        Assert.Equal(Iters + 1, withTest.History.Count);

        var table = new StringBuilder($"normalization {norm}: per iteration, RfmFast (float) and numpy float32 vs numpy float64\n");
        table.AppendLine(" t | ref64 test MSE | RfmFast rel MSE err | pred err | M err     | numpy32 rel MSE err | pred err | M err");
        double worstMse = 0, worstPred = 0, worstM = 0, worst32Pred = 0;
        for (int t = 0; t <= Iters; t++)
        {
            // The iteration-t model: Iterations = t without validation keeps the last M and its alpha.
            var model = new RfmRegressor(options with { Iterations = t, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct);
            Assert.Equal(t, model.BestIteration);
            double[] pred = Flat(model.PredictRaw(xte));
            double[] metric = Flat(model.FeatureMatrix());

            double mseErr = Math.Abs(withTest.History[t].ValidationScore - r64.Mse[t]) / r64.Mse[t];
            double predErr = RelErr(pred, r64.Predictions[t]);
            double mErr = RelErr(metric, r64.Metrics[t]);
            double mse32 = Math.Abs(r32.Mse[t] - r64.Mse[t]) / r64.Mse[t];
            double pred32 = RelErr(r32.Predictions[t], r64.Predictions[t]);
            double m32 = RelErr(r32.Metrics[t], r64.Metrics[t]);
            table.AppendLine($" {t} | {r64.Mse[t],14:G6} | {mseErr,19:E2} | {predErr,8:E2} | {mErr,9:E2} | {mse32,19:E2} | {pred32,8:E2} | {m32,8:E2}");
            worstMse = Math.Max(worstMse, mseErr);
            worstPred = Math.Max(worstPred, predErr);
            worstM = Math.Max(worstM, mErr);
            worst32Pred = Math.Max(worst32Pred, pred32);
        }
        output.WriteLine(table.ToString());

        // Limits. Test MSE: the issue's 1e-3 relative (measured <= 1.4e-5). Predictions and M: a float computation
        // of this loop is expected to drift ~1e-4 from float64 (numpy's own float32 run: predictions 0.9-5.3e-4 of
        // their size, M up to 2.9e-4); RfmFast measured <= 3.2e-5 and <= 4.3e-6 (its solve is mixed precision), so
        // 3e-4 and 1e-4 keep ~10x margin and still catch small systematic slips (an AGOP averaged over n - 1 instead
        // of n points moves M by 2.5e-3). RfmFast must also stay at least as close as numpy's float32 run.
        Assert.True(worstMse <= 1e-3, $"test MSE differs from the reference's by {worstMse:E2} relative (limit 1e-3)");
        Assert.True(worstPred <= 3e-4, $"predictions differ by {worstPred:E2} of their size (limit 3e-4)");
        Assert.True(worstM <= 1e-4, $"M differs by {worstM:E2} of its largest entry (limit 1e-4)");
        Assert.True(worstPred <= worst32Pred, $"predictions differ by {worstPred:E2}, more than numpy float32's {worst32Pred:E2}");
        // The chosen iteration is the reference's best, up to the MSE tolerance (iterations 4 and 5 are 0.25 % apart).
        Assert.True(r64.Mse[withTest.BestIteration] <= r64.Mse.Min() * (1 + 1e-3),
            $"RfmFast chose iteration {withTest.BestIteration}; the reference's MSEs are {string.Join(", ", r64.Mse.Select(v => v.ToString("G6")))}");
    }

    [Theory]
    [InlineData(MetricNormalization.Mean, "n")]
    [InlineData(MetricNormalization.MaxEntry, "max")]
    public void Estimator_matches_the_reference_per_iteration_in_float64(MetricNormalization norm, string mNorm)
    {
        // The issue's float64 requirement on the estimator itself: FitPrecision.Float64, double inputs, per
        // iteration predictions and M within 1e-4 of the reference's float64 run (relative to their size).
        var (xf, yf, xtef, ytef) = Data();
        double[,] x = ToDouble(xf), y = ToDouble(yf), xte = ToDouble(xtef), yte = ToDouble(ytef);
        var r64 = Reference("float64", mNorm);
        var options = new RfmOptions
        {
            Bandwidth = Bandwidth, Reg = Reg, Iterations = Iters, Normalization = norm, EarlyStopMultiplier = double.MaxValue,
            Precision = FitPrecision.Float64,
        };
        var withTest = new RfmRegressor(options).Fit(x, y, xte, yte, cancellationToken: Ct);
        Assert.Equal(FitPrecision.Float64, withTest.Precision);
        var table = new StringBuilder($"normalization {norm}: RfmFast float64 vs numpy float64\n t | MSE err | pred err | M err\n");
        double worstPred = 0, worstM = 0, worstMse = 0;
        for (int t = 0; t <= Iters; t++)
        {
            var model = new RfmRegressor(options with { Iterations = t, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct);
            double[] pred = model.PredictRaw(xte).Cast<double>().ToArray();
            double[] metric = model.FeatureMatrixDouble().Cast<double>().ToArray();
            double mseErr = Math.Abs(withTest.History[t].ValidationScore - r64.Mse[t]) / r64.Mse[t];
            double predErr = RelErr(pred, r64.Predictions[t]);
            double mErr = RelErr(metric, r64.Metrics[t]);
            table.AppendLine($" {t} | {mseErr:E2} | {predErr:E2} | {mErr:E2}");
            worstPred = Math.Max(worstPred, predErr);
            worstM = Math.Max(worstM, mErr);
            worstMse = Math.Max(worstMse, mseErr);

            // The single-sample path of a float64 model gives the batch's numbers.
            var one = new double[C];
            for (int i = 0; i < 3; i++)
            {
                model.PredictRaw(Enumerable.Range(0, D).Select(j => xte[i, j]).ToArray(), one);
                for (int q = 0; q < C; q++)
                    Assert.True(Math.Abs(one[q] - pred[i * C + q]) <= 1e-12 * (1 + Math.Abs(pred[i * C + q])),
                        $"single {one[q]} vs batch {pred[i * C + q]}");
            }
        }
        output.WriteLine(table.ToString());
        Assert.True(worstPred <= 1e-4, $"float64 predictions differ by {worstPred:E2} of their size (limit 1e-4)");
        Assert.True(worstM <= 1e-4, $"float64 M differs by {worstM:E2} of its largest entry (limit 1e-4)");
        Assert.True(worstMse <= 1e-4, $"float64 test MSE differs by {worstMse:E2} relative (limit 1e-4)");
    }

    [Fact]
    public void Core_double_routines_match_the_reference_per_iteration()
    {
        // The reference's loop in float64, assembled from the core's public double routines.
        var (xf, yf, xtef, _) = Data();
        var r64 = Reference("float64", "n");
        double[] x = Flat(xf), y = Flat(yf), xte = Flat(xtef);
        var kernel = KernelFunction.Laplace(Bandwidth);
        var metric = new double[D * D];
        for (int i = 0; i < D; i++)
            metric[i * D + i] = 1;
        var k = new double[N * N];
        var kt = new double[M * N];
        var alpha = new double[N * C];
        var pred = new double[M * C];
        var next = new double[D * D];

        var table = new StringBuilder("core float64 vs numpy float64, per iteration\n t | pred err | alpha err | M err\n");
        double worst = 0;
        for (int t = 0; t <= Iters; t++)
        {
            var xv = new ReadOnlyMatrixView<double>(x, N, D);
            var mv = new ReadOnlyMatrixView<double>(metric, D, D);
            KernelMatrix.Compute(kernel, xv, xv, mv, new MatrixView<double>(k, N, N));
            for (int i = 0; i < N; i++)
                k[i * N + i] += Reg;
            Cholesky.Factor(new MatrixView<double>(k, N, N));
            y.CopyTo(alpha, 0);
            Cholesky.Solve(new ReadOnlyMatrixView<double>(k, N, N), new MatrixView<double>(alpha, N, C));
            KernelMatrix.Compute(kernel, new ReadOnlyMatrixView<double>(xte, M, D), xv, mv, new MatrixView<double>(kt, M, N));
            Blas.Gemm(Transpose.No, Transpose.No, 1.0, new ReadOnlyMatrixView<double>(kt, M, N), new ReadOnlyMatrixView<double>(alpha, N, C),
                0.0, new MatrixView<double>(pred, M, C));

            double mErr = RelErr(metric, r64.Metrics[t]);
            double aErr = RelErr(alpha, r64.Alphas[t]);
            double pErr = RelErr(pred, r64.Predictions[t]);
            table.AppendLine($" {t} | {pErr:E2} | {aErr:E2} | {mErr:E2}");
            worst = Math.Max(worst, Math.Max(pErr, mErr));

            if (t < Iters)
            {
                Agop.Compute(kernel, xv, new ReadOnlyMatrixView<double>(alpha, N, C), mv, ReadOnlySpan<int>.Empty, new MatrixView<double>(next, D, D));
                (metric, next) = (next, metric);
            }
        }
        output.WriteLine(table.ToString());
        Assert.True(worst <= 1e-4, $"float64 predictions or M differ from the reference by {worst:E2} relative (limit 1e-4)");
    }
}
