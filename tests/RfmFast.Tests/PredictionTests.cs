using System;
using System.Linq;
using System.Threading;
using RfmFast.Core;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>Single-sample predictions: equal to the batch rows, allocation-free, and safe from many threads.</summary>
public sealed class PredictionTests(ITestOutputHelper output)
{
    static (RfmModel Model, float[,] X, float[,] Y, float[,] Query) Fit(double reg, int outputs = 2)
    {
        var x = Gaussian(600, 20, 50);
        var xq = Gaussian(300, 20, 51);
        var model = new RfmRegressor(new RfmOptions { Reg = reg, Iterations = 3, ValidationFraction = 0 })
            .Fit(x, TwoCoordinateTarget(x, outputs), cancellationToken: Ct);
        return (model, x, TwoCoordinateTarget(x, outputs), xq);
    }

    [Fact]
    public void Single_predictions_equal_the_batch_rows_on_a_well_conditioned_model()
    {
        // reg = 1: |alpha| stays small, the sum f(x) = sum_i alpha_i k_i has little cancellation, and the two float
        // paths (batch: kernel-matrix GEMM; single: precomputed X M and norms) agree to 1e-5 of the outputs' size.
        // Measured 4.0e-6 to 5.0e-6 on the x64 tiers (AVX-512, AVX2, SSE, scalar): the sum still cancels terms
        // ~1e5 times its size even here, so the float paths cannot agree much more closely.
        var (model, _, _, xq) = Fit(reg: 1);
        float[,] batch = model.PredictRaw(xq);
        var o = new float[2];
        double err = 0, scale = 0;
        for (int i = 0; i < xq.GetLength(0); i++)
        {
            model.PredictRaw(Row(xq, i), o);
            for (int k = 0; k < 2; k++)
            {
                err = Math.Max(err, Math.Abs(o[k] - batch[i, k]));
                scale = Math.Max(scale, Math.Abs(batch[i, k]));
            }
        }
        output.WriteLine($"max |single - batch| = {err:G3}, max |batch| = {scale:G3}, ratio {err / scale:G3}");
        Assert.True(err <= 1e-5 * scale, $"max |single - batch| {err:G3} > 1e-5 * {scale:G3}");
    }

    [Fact]
    public void Single_predictions_equal_the_batch_rows_to_float_rounding_of_the_sum()
    {
        // reg = 1e-3 (the default): alpha reaches ~80 and f(x) cancels terms up to ~1e6 times its size, so both
        // paths carry absolute errors ~1e-4 (measured against a double evaluation: 2.1e-4 single, 2.5e-4 batch).
        // The fair yardstick is S(x) = sum_i |alpha_i| k(x, x_i), the sum without cancellation: measured
        // max |single - batch| / S = 5e-8 (a few float ulps). alpha is recovered from the training fit:
        // f(X) = K alpha = Y - reg alpha, so alpha = (Y - f(X)) / reg (accurate enough for a scale).
        const double reg = 1e-3;
        var (model, x, y, xq) = Fit(reg, outputs: 1);
        float[,] fx = model.PredictRaw(x);
        int n = x.GetLength(0);
        var absAlpha = new double[n];
        for (int i = 0; i < n; i++)
            absAlpha[i] = Math.Abs((y[i, 0] - (double)fx[i, 0]) / reg);
        // S = K(xq, X) |alpha| with the kernel evaluated in double by the core (its own float paths are under test).
        int m = xq.GetLength(0);
        double[] metric = model.FeatureMatrix().Cast<float>().Select(v => (double)v).ToArray();
        double[] xd = x.Cast<float>().Select(v => (double)v).ToArray(), xqd = xq.Cast<float>().Select(v => (double)v).ToArray();
        var kq = new double[m * n];
        var s = new double[m];
        KernelMatrix.Compute(KernelFunction.Laplace(10), new ReadOnlyMatrixView<double>(xqd, m, 20), new ReadOnlyMatrixView<double>(xd, n, 20),
            new ReadOnlyMatrixView<double>(metric, 20, 20), new MatrixView<double>(kq, m, n));
        Blas.Gemm(Transpose.No, Transpose.No, 1.0, new ReadOnlyMatrixView<double>(kq, m, n), new ReadOnlyMatrixView<double>(absAlpha, n, 1),
            0.0, new MatrixView<double>(s, m, 1));
        float[,] batch = model.PredictRaw(xq);
        var o = new float[1];
        double worst = 0, worstAbs = 0;
        for (int q = 0; q < m; q++)
        {
            model.PredictRaw(Row(xq, q), o);
            double e = Math.Abs(o[0] - batch[q, 0]);
            worst = Math.Max(worst, e / s[q]);
            worstAbs = Math.Max(worstAbs, e);
        }
        output.WriteLine($"max |single - batch| = {worstAbs:G3}; max |single - batch| / sum|alpha k| = {worst:G3}");
        Assert.True(worst <= 1e-6, $"max |single - batch| / sum|alpha k| = {worst:G3}");
    }

    [Fact]
    public void A_low_rank_metric_shortens_single_predictions_and_they_still_equal_the_batch_rows()
    {
        // Five AGOP rounds on a target of two coordinates: M's spectrum collapses, so the single-sample path keeps
        // only the directions above float rounding (MetricFactor) and computes distances in those.
        var x = Gaussian(600, 20, 60);
        var xq = Gaussian(200, 20, 61);
        var model = new RfmRegressor(new RfmOptions { Reg = 1, Iterations = 5, ValidationFraction = 0 })
            .Fit(x, TwoCoordinateTarget(x, 1), cancellationToken: Ct);
        output.WriteLine($"rank used by single-sample predictions: {model.SingleSampleRank} of 20");
        Assert.InRange(model.SingleSampleRank, 1, 19);
        float[,] batch = model.PredictRaw(xq);
        var o = new float[1];
        double err = 0, scale = 0;
        for (int i = 0; i < xq.GetLength(0); i++)
        {
            model.PredictRaw(Row(xq, i), o);
            err = Math.Max(err, Math.Abs(o[0] - batch[i, 0]));
            scale = Math.Max(scale, Math.Abs(batch[i, 0]));
        }
        output.WriteLine($"max |single - batch| = {err:G3}, max |batch| = {scale:G3}, ratio {err / scale:G3}");
        Assert.True(err <= 1e-5 * scale, $"max |single - batch| {err:G3} > 1e-5 * {scale:G3}");
        // A full-rank metric (iteration 0: M = I) keeps every direction.
        var plain = new RfmRegressor(new RfmOptions { Reg = 1, Iterations = 0, ValidationFraction = 0 })
            .Fit(x, TwoCoordinateTarget(x, 1), cancellationToken: Ct);
        Assert.Equal(20, plain.SingleSampleRank);
    }

    [Fact]
    public void Above_the_factoring_limit_single_predictions_use_M_itself_and_equal_the_batch_rows()
    {
        // d = 1100 > MetricFactor.MaxFeatures: no eigendecomposition at load; centers X M, queries x.
        var x = Gaussian(300, 1100, 80);
        var xq = Gaussian(40, 1100, 81);
        var model = new RfmRegressor(new RfmOptions { Reg = 1, Iterations = 1, ValidationFraction = 0, Bandwidth = 50 })
            .Fit(x, TwoCoordinateTarget(x, 1), cancellationToken: Ct);
        Assert.Equal(1100, model.SingleSampleRank);
        float[,] batch = model.PredictRaw(xq);
        var o = new float[1];
        double err = 0, scale = 0;
        for (int i = 0; i < xq.GetLength(0); i++)
        {
            model.PredictRaw(Row(xq, i), o);
            err = Math.Max(err, Math.Abs(o[0] - batch[i, 0]));
            scale = Math.Max(scale, Math.Abs(batch[i, 0]));
        }
        // Both paths expand |x - x_i|_M^2 in float over 1100 terms (rounding ~ sqrt(d) larger than at d = 20):
        // measured 1.2e-5 of max |batch|.
        output.WriteLine($"max |single - batch| = {err:G3}, max |batch| = {scale:G3}, ratio {err / scale:G3}");
        Assert.True(scale > 0 && err <= 5e-5 * scale, $"max |single - batch| {err:G3} > 5e-5 * {scale:G3}");
    }

    [Fact]
    public void Shared_single_predictions_are_identical_to_calling_thread_ones()
    {
        // 3000 centers x 100 features is past the size whose chunks are shared with a helper thread.
        var x = Gaussian(3000, 100, 70);
        var xq = Gaussian(64, 100, 71);
        var model = new RfmRegressor(new RfmOptions { Reg = 1, Iterations = 0, ValidationFraction = 0 })
            .Fit(x, TwoCoordinateTarget(x, 2), cancellationToken: Ct);
        Assert.True(model.ShareSingleSamplePredict);
        var shared = new float[2];
        var alone = new float[2];
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < xq.GetLength(0); i++)
            {
                model.ShareSingleSamplePredict = true;
                model.PredictRaw(Row(xq, i), shared);
                model.ShareSingleSamplePredict = false;
                model.PredictRaw(Row(xq, i), alone);
                Assert.Equal(alone, shared);
            }
        }
    }

    [Fact]
    public void Single_prediction_allocates_nothing_after_warm_up()
    {
        var (model, _, _, xq) = Fit(reg: 1e-3);
        var cls = new RfmClassifier(new RfmOptions { Iterations = 1, ValidationFraction = 0 })
            .Fit(xq, Enumerable.Range(0, xq.GetLength(0)).Select(i => i % 3).ToArray(), cancellationToken: Ct);
        // Standardised features and target, row normalisation and a categorical column: the preprocessing path
        // (pooled scratch) and a float64 model fed float samples (converted in that scratch).
        var prep = new Preprocessing { StandardizeFeatures = true, StandardizeTarget = true, NormalizeRows = true, CategoricalFeatures = [0] };
        var xc = (float[,])xq.Clone();
        for (int i = 0; i < xc.GetLength(0); i++)
            xc[i, 0] = i % 4;
        var yc = Enumerable.Range(0, xc.GetLength(0)).Select(i => (float)(xc[i, 1] + i % 4)).ToArray();
        var preprocessed = new RfmRegressor(new RfmOptions { Iterations = 1, ValidationFraction = 0, Preprocessing = prep }).Fit(xc, yc, cancellationToken: Ct);
        var float64 = new RfmRegressor(new RfmOptions { Iterations = 1, ValidationFraction = 0, Precision = FitPrecision.Float64 }).Fit(xq, yc, cancellationToken: Ct);
        float[] sample = Row(xq, 7);
        var o = new float[3];
        foreach (RfmModel m in new RfmModel[] { model, cls, preprocessed, float64 })
        {
            m.PredictRaw(sample, o); // warm-up: JIT, the pool's blocks for this thread
            m.PredictRaw(sample, o);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
                m.PredictRaw(sample, o);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
        }
    }

    [Fact]
    public void Concurrent_predictions_equal_sequential_ones()
    {
        var (model, _, _, xq) = Fit(reg: 1e-3);
        int m = xq.GetLength(0);
        float[,] batch = model.PredictRaw(xq);
        var single = new float[m, 2];
        var o = new float[2];
        for (int i = 0; i < m; i++)
        {
            model.PredictRaw(Row(xq, i), o);
            single[i, 0] = o[0];
            single[i, 1] = o[1];
        }

        const int threads = 4;
        var singles = new float[threads][,];
        var batches = new float[threads][,];
        var errors = new Exception?[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait(Ct);
                var mine = new float[m, 2];
                var buf = new float[2];
                for (int rep = 0; rep < 2; rep++)
                {
                    // Start at a different row in each thread, and mix batch calls in.
                    for (int j = 0; j < m; j++)
                    {
                        int i = (j + t * 37) % m;
                        model.PredictRaw(Row(xq, i), buf);
                        mine[i, 0] = buf[0];
                        mine[i, 1] = buf[1];
                    }
                    batches[t] = model.PredictRaw(xq);
                }
                singles[t] = mine;
            }
            catch (Exception e)
            {
                errors[t] = e;
            }
        })).ToArray();
        foreach (var w in workers)
            w.Start();
        foreach (var w in workers)
            w.Join();

        Assert.All(errors, e => Assert.Null(e));
        for (int t = 0; t < threads; t++)
        {
            Assert.True(SameBits(single, singles[t]), $"thread {t}: single predictions differ from the sequential ones");
            Assert.True(SameBits(batch, batches[t]), $"thread {t}: batch predictions differ from the sequential ones");
        }
    }
}
