using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>The hyper-parameter search: grid order and sampling, the selection and tie rules, failed candidates,
/// the time budget, cancellation, progress, and that the best model is what a direct fit gives. Tiny data,
/// two iterations.</summary>
public sealed class SearchTests
{
    static readonly RfmOptions Base = new() { Iterations = 2, EarlyStopMultiplier = double.MaxValue };

    /// <summary>60 training and 30 validation rows of 4 Gaussian coordinates, y = (x0 > 0) x1.</summary>
    static (float[,] X, float[] Y, float[,] Xv, float[] Yv) Regression()
    {
        var x = Gaussian(60, 4, 3);
        var xv = Gaussian(30, 4, 4);
        return (x, Column(TwoCoordinateTarget(x, 1)), xv, Column(TwoCoordinateTarget(xv, 1)));
    }

    /// <summary>Three overlapping blobs: 60 training and 30 validation rows.</summary>
    static (float[,] X, int[] Y, float[,] Xv, int[] Yv) Classification()
    {
        var (x, y) = Blobs([0, 1, 2], 20, 3, 2.0, 5);
        var (xv, yv) = Blobs([0, 1, 2], 10, 3, 2.0, 6);
        return (x, y, xv, yv);
    }

    static float[] Column(float[,] y) => Enumerable.Range(0, y.GetLength(0)).Select(i => y[i, 0]).ToArray();

    [Fact]
    public void Grid_is_bandwidth_major_in_the_order_given()
    {
        var grid = new RfmSearchSpace { Bandwidths = [5, 1], Regs = [0.1, 0.01], NormalizeRows = [true, false] }.Grid(Base);
        var expected = new List<(double, double, bool)>();
        foreach (double l in new[] { 5.0, 1 })
            foreach (double reg in new[] { 0.1, 0.01 })
                foreach (bool norm in new[] { true, false })
                    expected.Add((l, reg, norm));
        Assert.Equal(expected, grid.Select(o => (o.Bandwidth, o.Reg, o.Preprocessing.NormalizeRows)));
        // Everything not searched is the base options' value.
        Assert.All(grid, o => Assert.Equal(Base with { Bandwidth = o.Bandwidth, Reg = o.Reg }, o with { Preprocessing = Base.Preprocessing }));
        Assert.Equal(new[] { Base }, new RfmSearchSpace().Grid(Base));
    }

    [Fact]
    public void Grid_lists_the_exponent_only_for_the_generalized_Laplace_kernel()
    {
        var grid = new RfmSearchSpace
        {
            Kernels = [RfmKernel.Laplace, RfmKernel.GeneralizedLaplace, RfmKernel.Gaussian],
            Exponents = [0.5, 1.5],
            DiagonalMetric = [false, true],
            Normalizations = [MetricNormalization.Mean, MetricNormalization.MaxEntry],
        }.Grid(Base);
        var kinds = grid.Select(o => (o.Kernel, o.Exponent)).Distinct().ToArray();
        Assert.Equal(new[] { (RfmKernel.Laplace, 1.0), (RfmKernel.GeneralizedLaplace, 0.5), (RfmKernel.GeneralizedLaplace, 1.5), (RfmKernel.Gaussian, 1.0) }, kinds);
        Assert.Equal(4 * 2 * 2, grid.Count);
        Assert.Equal((false, MetricNormalization.Mean), (grid[0].DiagonalMetric, grid[0].Normalization));
        Assert.Equal((false, MetricNormalization.MaxEntry), (grid[1].DiagonalMetric, grid[1].Normalization));
        Assert.Equal((true, MetricNormalization.Mean), (grid[2].DiagonalMetric, grid[2].Normalization));
        Assert.Throws<ArgumentException>(() => new RfmSearchSpace { Regs = [] }.Grid(Base));
    }

    [Fact]
    public void Seeded_sample_is_reproducible_distinct_and_in_the_space()
    {
        var space = new RfmSearchSpace { Bandwidths = [1, 3, 10], Regs = [1, 0.1, 0.01], CenterGradients = [false, true] };
        var grid = space.Grid(Base);
        var sample = space.Sample(Base, 5, seed: 42);
        Assert.Equal(5, sample.Count);
        Assert.Equal(sample, space.Sample(Base, 5, seed: 42));
        Assert.All(sample, o => Assert.Contains(o, grid));
        Assert.Equal(5, sample.Distinct().Count());
        // Asking for more than the grid has gives all of it, each once.
        var all = space.Sample(Base, 100, seed: 1);
        Assert.Equal(grid.Count, all.Count);
        Assert.Equal(grid.ToHashSet(), all.ToHashSet());
        Assert.Throws<ArgumentOutOfRangeException>(() => space.Sample(Base, 0, seed: 1));
    }

    [Fact]
    public void Best_is_the_earliest_best_score_and_equals_a_direct_fit()
    {
        var (x, y, xv, yv) = Regression();
        var candidates = new RfmSearchSpace { Bandwidths = [2, 8], Regs = [1, 1e-2] }.Grid(Base);
        var result = RfmSearch.Regression(candidates, x, y, xv, yv, cancellationToken: Ct);

        Assert.False(result.HigherIsBetter);
        Assert.Equal(candidates.Count, result.Candidates.Count);
        double min = result.Candidates.Min(c => c.Score);
        Assert.Equal(result.Candidates.First(c => c.Score == min).Index, result.BestIndex);
        Assert.Same(candidates[result.BestIndex], result.Best.Options);

        var direct = new RfmRegressor(result.Best.Options).Fit(x, y, xv, yv, cancellationToken: Ct);
        Assert.Equal(direct.BestIteration, result.BestModel.BestIteration);
        Assert.Equal(direct.History[direct.BestIteration].ValidationScore, result.Best.Score);
        Assert.Equal(direct.History.Select(h => h.ValidationScore), result.Best.History.Select(h => h.ValidationScore));
        Assert.Equal(direct.Predict(xv), result.BestModel.Predict(xv));
    }

    [Fact]
    public void Ties_go_to_the_earliest_candidate()
    {
        // Well separated blobs: every candidate classifies the validation rows perfectly; the first is kept.
        var (x, y) = Blobs([0, 1, 2], 10, 3, 0.3, 5);
        var (xv, yv) = Blobs([0, 1, 2], 5, 3, 0.3, 6);
        var candidates = new RfmSearchSpace { Regs = [1e-2, 1e-3], Bandwidths = [10, 5] }.Grid(Base);
        var result = RfmSearch.Classification(candidates, x, y, xv, yv, cancellationToken: Ct);
        Assert.True(result.HigherIsBetter);
        Assert.All(result.Candidates, c => Assert.Equal(1.0, c.Score));
        Assert.Equal(0, result.BestIndex);
    }

    [Fact]
    public void Classification_with_string_labels_and_double_rows_equals_a_direct_fit()
    {
        var (xf, yi, xvf, yvi) = Classification();
        double[,] x = ToDouble(xf), xv = ToDouble(xvf);
        string[] y = Array.ConvertAll(yi, l => "c" + l), yv = Array.ConvertAll(yvi, l => "c" + l);
        var candidates = new RfmSearchSpace { Bandwidths = [1, 10], NormalizeRows = [false, true] }.Grid(Base);
        var result = RfmSearch.Classification(candidates, x, y, xv, yv, cancellationToken: Ct);

        double max = result.Candidates.Max(c => c.Score);
        Assert.Equal(result.Candidates.First(c => c.Score == max).Index, result.BestIndex);
        var direct = new RfmClassifier(result.Best.Options).Fit(x, y, xv, yv, cancellationToken: Ct);
        Assert.Equal(direct.History[direct.BestIteration].ValidationScore, result.Best.Score);
        Assert.Equal(direct.PredictLabels(xv), result.BestModel.PredictLabels(xv));
        Assert.Equal(result.Best.Score, result.BestModel.Score(xv, yv));
    }

    [Fact]
    public void A_failing_candidate_is_recorded_and_never_selected()
    {
        var (x, y, xv, yv) = Regression();
        // A negative bandwidth fails the fit's option check; the others are fitted.
        RfmOptions[] candidates = [Base with { Bandwidth = -1 }, Base with { Bandwidth = 5 }, Base with { Bandwidth = double.NaN }];
        var result = RfmSearch.Regression(candidates, x, y, xv, yv, cancellationToken: Ct);

        Assert.Equal(3, result.Candidates.Count);
        foreach (int i in new[] { 0, 2 })
        {
            var failed = result.Candidates[i];
            Assert.Contains("bandwidth", failed.Failure, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(failed.History);
            Assert.Equal(-1, failed.BestIteration);
            Assert.True(double.IsNaN(failed.Score));
        }
        Assert.Null(result.Candidates[1].Failure);
        Assert.Equal(1, result.BestIndex);

        var error = Assert.Throws<InvalidOperationException>(() =>
            RfmSearch.Regression([Base with { Reg = -1 }], x, y, xv, yv, cancellationToken: Ct));
        Assert.Contains("reg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_data_throws_before_any_fit()
    {
        var (x, y, xv, yv) = Classification();
        var candidates = new RfmSearchSpace().Grid(Base);
        Assert.Throws<ArgumentException>(() => RfmSearch.Classification(candidates, x, y[1..], xv, yv, cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => RfmSearch.Classification(candidates, x, y, xv, Array.ConvertAll(yv, l => l + 5), cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => RfmSearch.Classification([], x, y, xv, yv, cancellationToken: Ct));
        var (xr, yr, xvr, yvr) = Regression();
        Assert.Throws<ArgumentOutOfRangeException>(() => RfmSearch.Regression(candidates, xr, yr, xvr, yvr, TimeSpan.FromSeconds(-1), cancellationToken: Ct));
        yr[3] = float.NaN;
        Assert.Throws<ArgumentException>(() => RfmSearch.Regression(candidates, xr, yr, xvr, yvr, cancellationToken: Ct));
    }

    [Fact]
    public void A_zero_budget_stops_after_the_first_candidate()
    {
        var (x, y, xv, yv) = Regression();
        var candidates = new RfmSearchSpace { Regs = [1, 0.1, 0.01] }.Grid(Base);
        var stopped = RfmSearch.Regression(candidates, x, y, xv, yv, TimeSpan.Zero, cancellationToken: Ct);
        Assert.True(stopped.StoppedByBudget);
        Assert.Single(stopped.Candidates);
        Assert.Equal(3, stopped.CandidateCount);
        Assert.Equal(0, stopped.BestIndex);

        var full = RfmSearch.Regression(candidates, x, y, xv, yv, TimeSpan.FromHours(1), cancellationToken: Ct);
        Assert.False(full.StoppedByBudget);
        Assert.Equal(3, full.Candidates.Count);
    }

    [Fact]
    public void Progress_reports_every_candidate_in_order()
    {
        var (x, y, xv, yv) = Classification();
        var candidates = new RfmSearchSpace { Regs = [10, 1e-3], Bandwidths = [-1, 10] }.Grid(Base);
        var reports = new List<RfmSearchProgress>();
        var result = RfmSearch.Classification(candidates, x, y, xv, yv, progress: new Recorder(reports.Add), cancellationToken: Ct);

        Assert.Equal(Enumerable.Range(0, 4), reports.Select(r => r.Candidate.Index));
        Assert.All(reports, r => Assert.Equal(4, r.CandidateCount));
        Assert.Equal(result.Candidates, reports.Select(r => r.Candidate));
        // Bandwidth -1 fails: no best while only those were tried.
        Assert.Equal((-1, true), (reports[1].BestIndex, double.IsNaN(reports[1].BestScore)));
        Assert.Equal(result.BestIndex, reports[^1].BestIndex);
        Assert.Equal(result.Best.Score, reports[^1].BestScore);
        Assert.True(reports[^1].Elapsed >= reports[0].Elapsed);
    }

    [Fact]
    public void Cancellation_throws_OperationCanceledException()
    {
        var (x, y, xv, yv) = Regression();
        var candidates = new RfmSearchSpace { Regs = [1, 0.1, 0.01] }.Grid(Base);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => RfmSearch.Regression(candidates, x, y, xv, yv, cancellationToken: cancelled.Token));

        // Cancelled after the first candidate: the second never starts.
        using var later = new CancellationTokenSource();
        int reported = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => RfmSearch.Regression(candidates, x, y, xv, yv,
            progress: new Recorder(_ => { reported++; later.Cancel(); }), cancellationToken: later.Token));
        Assert.Equal(1, reported);
    }

    sealed class Recorder(Action<RfmSearchProgress> report) : IProgress<RfmSearchProgress>
    {
        public void Report(RfmSearchProgress value) => report(value);
    }
}
