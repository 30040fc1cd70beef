using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>What the estimators do on real and synthetic data: accuracy, feature learning, the history and
/// the chosen iteration, progress, cancellation, and the classifier's outputs.</summary>
public sealed class BehaviourTests(ITestOutputHelper output)
{
    /// <summary>d = 20 Gaussian coordinates, y = (x0 > 0) x1: a target on 2 of 20 coordinates.</summary>
    static (float[,] X, float[,] Y, float[,] Xv, float[,] Yv) FeatureProblem(int n = 600, int nv = 300, int seed = 10)
    {
        var x = Gaussian(n, 20, seed);
        var xv = Gaussian(nv, 20, seed + 1000);
        return (x, TwoCoordinateTarget(x, 1), xv, TwoCoordinateTarget(xv, 1));
    }

    static double Mse(float[,] p, float[,] y)
    {
        double s = 0;
        for (int i = 0; i < p.GetLength(0); i++)
            for (int k = 0; k < p.GetLength(1); k++)
                s += ((double)p[i, k] - y[i, k]) * ((double)p[i, k] - y[i, k]);
        return s / p.Length;
    }

    /// <summary>The earliest best score of the history: lowest MSE or highest accuracy.</summary>
    static int EarliestBest(IReadOnlyList<RfmIteration> h, bool higherIsBetter)
    {
        int best = 0;
        for (int t = 1; t < h.Count; t++)
            if (higherIsBetter ? h[t].ValidationScore > h[best].ValidationScore : h[t].ValidationScore < h[best].ValidationScore)
                best = t;
        return best;
    }

    [Fact]
    public void Classifier_is_accurate_on_breast_cancer_wisc()
    {
        // UCI-121 breast-cancer-wisc (699 x 9, 2 classes), evaluation split 0 of conxuntos_kfold.dat (524 / 175),
        // the paper's defaults (L = 10, reg 1e-3, 5 iterations) with a 20 % holdout choosing the iteration.
        // Measured: 0.977 on split 0 (0.966 to 0.989 on the four splits; the paper's protocol reports about 0.97).
        var (xt, yt, xs, ys) = Uci("breast-cancer-wisc", 0);
        Assert.Equal((524, 175, 9), (xt.GetLength(0), xs.GetLength(0), xt.GetLength(1)));
        var model = new RfmClassifier().Fit(xt, yt, cancellationToken: Ct);
        int[] predicted = model.Predict(xs);
        double accuracy = predicted.Zip(ys).Count(p => p.First == p.Second) / (double)ys.Length;
        output.WriteLine($"accuracy {accuracy:F4}, best iteration {model.BestIteration}, holdout accuracies {string.Join(", ", model.History.Select(h => h.ValidationScore.ToString("F3")))}");
        Assert.Equal([0, 1], model.Classes);
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:F4} < 0.95");
        Assert.All(model.History, h => Assert.InRange(h.ValidationScore, 0.9, 1.0));
    }

    [Fact]
    public void Rfm_learns_the_relevant_coordinates()
    {
        // Measured (n = 600, 300 validation rows): validation MSE 0.186 at iteration 0 (the plain Laplace kernel),
        // 0.040 at iteration 5 (the best); importances 0.53 and 0.49 for coordinates 1 and 0, the third largest
        // 0.0019. (With other seeds and n = 800: 0.149-0.157 -> 0.033-0.039, third below 0.4 %.)
        var (x, y, xv, yv) = FeatureProblem();
        var model = new RfmRegressor(new RfmOptions { EarlyStopMultiplier = double.MaxValue }).Fit(x, y, xv, yv, cancellationToken: Ct);
        var h = model.History;
        double plain = h[0].ValidationScore, best = h[model.BestIteration].ValidationScore;
        float[] imp = model.FeatureImportances();
        int[] order = Enumerable.Range(0, imp.Length).OrderByDescending(i => imp[i]).ToArray();
        output.WriteLine($"MSE by iteration {string.Join(", ", h.Select(r => r.ValidationScore.ToString("G4")))}; importances top {string.Join(", ", order.Take(4).Select(i => $"{i}:{imp[i]:G3}"))}");

        Assert.True(model.BestIteration > 0);
        Assert.True(best < 0.4 * plain, $"best MSE {best:G4} is not clearly below the plain kernel's {plain:G4}");
        Assert.Equal([0, 1], order.Take(2).Order());
        Assert.True(imp[order[2]] < 0.05 * imp[order[1]], $"third importance {imp[order[2]]:G3} vs {imp[order[1]]:G3}");

        // The model is the best iteration's: its predictions score what the history says.
        Assert.Equal(best, Mse(model.PredictRaw(xv), yv), 1e-5 * best + 1e-9);
        // The feature matrix is symmetric PSD-looking: symmetric, non-negative diagonal.
        float[,] m = model.FeatureMatrix();
        for (int i = 0; i < 20; i++)
        {
            Assert.True(m[i, i] >= 0);
            Assert.Equal(imp[i], m[i, i]);
            for (int j = 0; j < i; j++)
                Assert.Equal(m[i, j], m[j, i]);
        }
    }

    [Fact]
    public void History_has_every_iteration_unless_early_stopped()
    {
        var (x, y, xv, yv) = FeatureProblem(300, 150, 3);
        foreach (int iterations in new[] { 0, 1, 4 })
        {
            var model = new RfmRegressor(new RfmOptions { Iterations = iterations, EarlyStopMultiplier = double.MaxValue }).Fit(x, y, xv, yv, cancellationToken: Ct);
            Assert.Equal(Enumerable.Range(0, iterations + 1), model.History.Select(r => r.Iteration));
            Assert.All(model.History, r => Assert.True(double.IsFinite(r.ValidationScore) && r.Seconds >= 0));
        }
        // Without validation (and no holdout): every iteration, NaN scores, the last one kept.
        var last = new RfmRegressor(new RfmOptions { Iterations = 3, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(4, last.History.Count);
        Assert.All(last.History, r => Assert.True(double.IsNaN(r.ValidationScore)));
        Assert.Equal(3, last.BestIteration);
    }

    [Fact]
    public void Early_stop_ends_the_history_at_the_first_iteration_worse_than_the_best_by_the_multiplier()
    {
        // Trained on y = x0, validated against -x0: the better RFM learns x0, the worse it validates.
        // Measured MSE: 3.995 (plain kernel), 4.261, 4.272, ... (6.7 % worse, then flat).
        var x = Gaussian(400, 10, 3);
        var xv = Gaussian(200, 10, 4);
        var y = new float[400, 1];
        var yv = new float[200, 1];
        for (int i = 0; i < 400; i++) y[i, 0] = x[i, 0];
        for (int i = 0; i < 200; i++) yv[i, 0] = -xv[i, 0];

        var stopped = new RfmRegressor(new RfmOptions { Iterations = 5, EarlyStopMultiplier = 1.01 }).Fit(x, y, xv, yv, cancellationToken: Ct);
        var h = stopped.History;
        output.WriteLine($"early-stopped MSE {string.Join(", ", h.Select(r => r.ValidationScore.ToString("G4")))}");
        Assert.True(h.Count < 6, "expected an early stop");
        Assert.Equal(0, stopped.BestIteration);
        Assert.True(h[^1].ValidationScore > 1.01 * h[0].ValidationScore);
        for (int t = 1; t < h.Count - 1; t++)
            Assert.True(h[t].ValidationScore <= 1.01 * h[0].ValidationScore);

        // The default multiplier 1.1 does not stop on a 7 % loss: all 6 entries.
        var full = new RfmRegressor(new RfmOptions { Iterations = 5 }).Fit(x, y, xv, yv, cancellationToken: Ct);
        Assert.Equal(6, full.History.Count);
        Assert.Equal(h[0].ValidationScore, full.History[0].ValidationScore);
        Assert.Equal(0, full.BestIteration);
    }

    [Fact]
    public void Best_iteration_is_the_earliest_best_score()
    {
        var (x, y, xv, yv) = FeatureProblem(300, 150, 5);
        var reg = new RfmRegressor(new RfmOptions { Iterations = 4, EarlyStopMultiplier = double.MaxValue }).Fit(x, y, xv, yv, cancellationToken: Ct);
        Assert.Equal(EarliestBest(reg.History, higherIsBetter: false), reg.BestIteration);

        // Accuracies tie often; the earliest of the tied best wins. On UCI breast-cancer-wisc split 3 (the test rows
        // as validation) the measured accuracies are 0.9657, 0.9714, 0.9771, 0.9771, 0.9771, 0.9771: best 2, tied.
        var (xt, yt, xs, ys) = Uci("breast-cancer-wisc", 3);
        var cls = new RfmClassifier(new RfmOptions { EarlyStopMultiplier = double.MaxValue }).Fit(xt, yt, xs, ys, cancellationToken: Ct);
        var h = cls.History;
        output.WriteLine($"accuracies {string.Join(", ", h.Select(r => r.ValidationScore.ToString("F4")))} -> best {cls.BestIteration}");
        Assert.Equal(EarliestBest(h, higherIsBetter: true), cls.BestIteration);
        Assert.True(h.Count(r => r.ValidationScore == h[cls.BestIteration].ValidationScore) > 1, "no tie at the best; the tie rule went unchecked");

        // Separable blobs: every iteration scores 1, so iteration 0 is the best.
        var (xb, lb) = Blobs([0, 1, 2], 20, 4, 0.3, 8);
        var (xbv, lbv) = Blobs([0, 1, 2], 10, 4, 0.3, 9);
        var easy = new RfmClassifier(new RfmOptions { Iterations = 3, EarlyStopMultiplier = double.MaxValue }).Fit(xb, lb, xbv, lbv, cancellationToken: Ct);
        Assert.All(easy.History, r => Assert.Equal(1.0, r.ValidationScore));
        Assert.Equal(0, easy.BestIteration);
    }

    [Fact]
    public void Holdout_selection_refits_on_every_row()
    {
        var (x, y, _, _) = FeatureProblem(300, 10, 7);
        var model = new RfmRegressor(new RfmOptions { Iterations = 3, ValidationFraction = 0.25 }).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(300, model.Centers);
        Assert.All(model.History, r => Assert.True(double.IsFinite(r.ValidationScore)));
        Assert.Equal(EarliestBest(model.History, higherIsBetter: false), model.BestIteration);
    }

    [Fact]
    public void Adaptive_bandwidth_is_the_multiplier_times_the_median_distance()
    {
        // Fewer than 2000 rows: every pair counts. The median of the n(n-1)/2 distances (the upper one for an even count).
        var x = Gaussian(120, 7, 13);
        var y = TwoCoordinateTarget(x, 1);
        var d = new List<double>();
        for (int i = 0; i < 120; i++)
            for (int j = 0; j < i; j++)
            {
                double s = 0;
                for (int k = 0; k < 7; k++)
                    s += ((double)x[i, k] - x[j, k]) * ((double)x[i, k] - x[j, k]);
                d.Add(Math.Sqrt(s));
            }
        d.Sort();
        double median = d[d.Count / 2];
        var model = new RfmRegressor(new RfmOptions { AdaptiveBandwidth = true, Bandwidth = 2.5, Iterations = 1 }).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(2.5 * median, model.Bandwidth, 1e-4 * median);
        Assert.Equal(10, new RfmRegressor(new RfmOptions { Iterations = 1 }).Fit(x, y, cancellationToken: Ct).Bandwidth);
    }

    [Fact]
    public void Fits_are_deterministic()
    {
        var (x, y, xv, _) = FeatureProblem(250, 50, 17);
        var o = new RfmOptions { Iterations = 3, AgopSampleSize = 100, Seed = 4 };
        var a = new RfmRegressor(o).Fit(x, y, cancellationToken: Ct);
        var b = new RfmRegressor(o).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(a.BestIteration, b.BestIteration);
        Assert.Equal(a.History.Select(h => h.ValidationScore), b.History.Select(h => h.ValidationScore));
        Assert.True(SameBits(a.FeatureMatrix(), b.FeatureMatrix()));
        Assert.True(SameBits(a.PredictRaw(xv), b.PredictRaw(xv)));
    }

    sealed class Recorder(Action<RfmProgress>? onReport = null) : IProgress<RfmProgress>
    {
        public List<RfmProgress> Reports { get; } = [];

        public void Report(RfmProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    static List<(int, RfmPhase)> ExpectedPhases(int iterations, bool validate, bool refit, int best)
    {
        var list = new List<(int, RfmPhase)>();
        for (int t = 0; t <= iterations; t++)
        {
            list.Add((t, RfmPhase.Kernel));
            list.Add((t, RfmPhase.Solve));
            if (validate)
                list.Add((t, RfmPhase.Validate));
            if (t < iterations)
                list.Add((t, RfmPhase.Agop));
        }
        if (refit)
            list.Add((best, RfmPhase.Refit));
        return list;
    }

    [Fact]
    public void Progress_reports_every_phase_in_order()
    {
        var (x, y, xv, yv) = FeatureProblem(200, 80, 9);
        var opts = new RfmOptions { Iterations = 3, EarlyStopMultiplier = double.MaxValue };

        var withVal = new Recorder();
        var m1 = new RfmRegressor(opts).Fit(x, y, xv, yv, withVal, Ct);
        Assert.Equal(ExpectedPhases(3, validate: true, refit: false, 0), withVal.Reports.Select(r => (r.Iteration, r.Phase)));
        // The Validate reports carry the history's scores; the others NaN until the score is known.
        Assert.Equal(m1.History.Select(h => h.ValidationScore), withVal.Reports.Where(r => r.Phase == RfmPhase.Validate).Select(r => r.ValidationScore));
        Assert.All(withVal.Reports.Where(r => r.Phase is RfmPhase.Kernel or RfmPhase.Solve), r => Assert.True(double.IsNaN(r.ValidationScore)));
        Assert.True(withVal.Reports.Zip(withVal.Reports.Skip(1)).All(p => p.First.Elapsed <= p.Second.Elapsed));

        var holdout = new Recorder();
        var m2 = new RfmRegressor(opts with { ValidationFraction = 0.2 }).Fit(x, y, progress: holdout, cancellationToken: Ct);
        Assert.Equal(ExpectedPhases(3, validate: true, refit: true, m2.BestIteration), holdout.Reports.Select(r => (r.Iteration, r.Phase)));

        var none = new Recorder();
        new RfmRegressor(opts with { ValidationFraction = 0 }).Fit(x, y, progress: none, cancellationToken: Ct);
        Assert.Equal(ExpectedPhases(3, validate: false, refit: false, 0), none.Reports.Select(r => (r.Iteration, r.Phase)));

        var cls = new Recorder();
        int[] labels = Enumerable.Range(0, 200).Select(i => x[i, 0] > 0 ? 1 : 0).ToArray();
        int[] labelsV = Enumerable.Range(0, 80).Select(i => xv[i, 0] > 0 ? 1 : 0).ToArray();
        new RfmClassifier(opts).Fit(x, labels, xv, labelsV, cls, Ct);
        Assert.Equal(ExpectedPhases(3, validate: true, refit: false, 0), cls.Reports.Select(r => (r.Iteration, r.Phase)));
        Assert.All(cls.Reports.Where(r => r.Phase == RfmPhase.Validate), r => Assert.InRange(r.ValidationScore, 0, 1));
    }

    [Fact]
    public void Cancellation_throws_OperationCanceledException()
    {
        var (x, y, xv, yv) = FeatureProblem(200, 80, 11);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new RfmRegressor().Fit(x, y, xv, yv, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => new RfmRegressor().Fit(x, y, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new RfmClassifier().Fit(x, Enumerable.Range(0, 200).Select(i => i % 3).ToArray(), cancellationToken: cancelled.Token));

        // Cancelled in the middle of a fit (after iteration 1's solve): the fit stops at the next check.
        foreach (RfmPhase at in new[] { RfmPhase.Kernel, RfmPhase.Solve, RfmPhase.Validate, RfmPhase.Agop })
        {
            using var cts = new CancellationTokenSource();
            var rec = new Recorder(r => { if (r.Iteration == 1 && r.Phase == at) cts.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new RfmRegressor(new RfmOptions { Iterations = 4, EarlyStopMultiplier = double.MaxValue }).Fit(x, y, xv, yv, rec, cts.Token));
            int cut = rec.Reports.FindIndex(r => r.Iteration == 1 && r.Phase == at);
            Assert.True(cut >= 0);
            // At most the phase in flight finishes; iteration 2 never starts.
            Assert.DoesNotContain(rec.Reports, r => r.Iteration >= 2);
            Assert.True(rec.Reports.Count - cut <= 2, $"{rec.Reports.Count - cut - 1} reports after cancelling at {at}");
        }
    }

    [Fact]
    public void Probabilities_are_normalised()
    {
        foreach (int classes in new[] { 2, 3, 5 })
        {
            int[] labelSet = Enumerable.Range(0, classes).ToArray();
            var (x, labels) = Blobs(labelSet, 40, 6, 1.5, 20 + classes);
            var (xq, _) = Blobs(labelSet, 20, 6, 3.0, 40 + classes);
            var model = new RfmClassifier(new RfmOptions { Iterations = 2 }).Fit(x, labels, cancellationToken: Ct);
            float[,] p = model.PredictProba(xq);
            float[,] raw = model.PredictRaw(xq);
            int[] predicted = model.Predict(xq);
            Assert.Equal((xq.GetLength(0), classes), (p.GetLength(0), p.GetLength(1)));
            for (int i = 0; i < p.GetLength(0); i++)
            {
                double sum = 0;
                int argmaxRaw = 0;
                for (int k = 0; k < classes; k++)
                {
                    Assert.InRange(p[i, k], 0f, 1f);
                    sum += p[i, k];
                    if (raw[i, k] > raw[i, argmaxRaw])
                        argmaxRaw = k;
                }
                Assert.Equal(1.0, sum, 1e-6);
                Assert.Equal(model.Classes[argmaxRaw], predicted[i]);
            }
        }
    }

    [Fact]
    public void Arbitrary_integer_labels_round_trip()
    {
        int[] labelSet = [100, -5, 7];
        var (x, labels) = Blobs(labelSet, 30, 5, 0.7, 31);
        var (xv, lv) = Blobs(labelSet, 10, 5, 0.7, 32);
        var model = new RfmClassifier(new RfmOptions { Iterations = 2 }).Fit(x, labels, xv, lv, cancellationToken: Ct);
        Assert.Equal([-5, 7, 100], model.Classes);
        Assert.Equal(3, model.Outputs);
        Assert.Equal(lv, model.Predict(xv));
        Assert.Equal(labels, model.Predict(x));
        Assert.Equal(1.0, model.History[model.BestIteration].ValidationScore);

        // Validation labels may be a subset of the training labels.
        int[] keep = Enumerable.Range(0, lv.Length).Where(i => lv[i] != 7).ToArray();
        var subset = new RfmClassifier(new RfmOptions { Iterations = 1 }).Fit(x, labels, Rows(xv, keep), keep.Select(i => lv[i]).ToArray(), cancellationToken: Ct);
        Assert.Equal([-5, 7, 100], subset.Classes);
        Assert.Equal(keep.Select(i => lv[i]), subset.Predict(Rows(xv, keep)));
    }
}
