using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
using RfmFast.Core;

namespace RfmFast;

/// <summary>
/// The RFM loop shared by the regressor and the classifier: kernel matrix, ridge solve, validation score,
/// AGOP, repeated; the best iteration (by validation score, iteration 0 included, the earliest on ties) is
/// kept, with early stopping (and no further iteration after a perfect validation score). An iteration that fails (a kernel matrix that cannot be factored, non-finite
/// coefficients or AGOP) ends the loop: the best earlier iteration is kept and the failure recorded in the
/// history; only a failure of iteration 0 fails the fit. One n x n buffer serves the kernel matrix, its
/// factorization, the validation predictions and the AGOP in turn, so the fit's memory is one n x n matrix
/// plus O((n + m) d + d^2).
/// </summary>
internal static class RfmTrainer
{
    /// <summary>Data in the kernel's space (preprocessed). Lower scores are better for regression (MSE), higher
    /// for classification (accuracy).</summary>
    public static FitState<T> Fit<T>(DenseData<T> x, DenseData<T> y, DenseData<T>? xVal, DenseData<T>? yVal, RfmOptions o, bool classification,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        o.Validate();
        if (y.Rows != x.Rows)
            throw new ArgumentException($"The targets have {y.Rows} rows; the data has {x.Rows}.", nameof(y));
        if ((xVal is null) != (yVal is null))
            throw new ArgumentException("Validation data needs both features and targets.", xVal is null ? "xValidation" : "yValidation");
        if (xVal is not null && xVal.Cols != x.Cols)
            throw new ArgumentException($"The validation data has {xVal.Cols} features; the training data has {x.Cols}.", "xValidation");
        T[]? given = o.Metric is null ? null : MetricUpdate.Given<T>(o.Metric, x.Cols);
        ct.ThrowIfCancellationRequested();

        var run = new Run<T>(o, classification, Workers(o.MaxDegreeOfParallelism), progress, ct);
        double bandwidth = o.AdaptiveBandwidth ? o.Bandwidth * Sampling.MedianDistance(x, o.Seed) : o.Bandwidth;
        var kernel = o.KernelWith(bandwidth);
        int iterations = given is null ? o.Iterations : 0;

        if (xVal is null && o.ValidationFraction > 0 && iterations > 0 && x.Rows >= 10)
        {
            // Hold out a seeded fraction to choose the iteration, then refit on everything with that M.
            var (trainIdx, valIdx) = DataSplit.Random(x.Rows, o.ValidationFraction, o.Seed);
            var chosen = run.Loop(x.Take(trainIdx), y.Take(trainIdx), x.Take(valIdx), y.Take(valIdx), kernel, iterations, given);
            progress?.Report(new RfmProgress(chosen.BestIteration, RfmPhase.Refit, double.NaN, run.Clock.Elapsed));
            var alpha = run.SolveFor(x, y, chosen.Metric, kernel);
            return chosen with { Centers = x, Alpha = alpha };
        }
        return run.Loop(x, y, xVal, yVal, kernel, iterations, given);
    }

    /// <summary>The worker count for <see cref="RfmOptions.MaxDegreeOfParallelism"/> (0: every processor).</summary>
    public static int Workers(int maxDegreeOfParallelism) =>
        maxDegreeOfParallelism == 0 ? Parallelism.DefaultWorkers : Math.Min(maxDegreeOfParallelism, Parallelism.DefaultWorkers);

    sealed class Run<T>(RfmOptions o, bool classification, int workers, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public FitState<T> Loop(DenseData<T> x, DenseData<T> y, DenseData<T>? xv, DenseData<T>? yv, KernelFunction kernel, int iterations, T[]? given)
        {
            int n = x.Rows, d = x.Cols, c = y.Cols;
            var metric = given ?? MetricUpdate.Identity<T>(d);
            var history = new List<RfmIteration>();
            T[]? bestAlpha = null, bestMetric = null;
            double bestScore = double.NaN;
            int best = 0;
            bool validate = xv is not null;
            using var kBuf = PooledBuffer<T>.Rent(checked(n * n));
            var sample = o.AgopSampleSize > 0 && o.AgopSampleSize < n ? Sampling.Indices(n, o.AgopSampleSize, o.Seed + 1) : [];

            for (int t = 0; ; t++)
            {
                ct.ThrowIfCancellationRequested();
                var started = Clock.Elapsed;
                T[] alpha;
                RfmSolveReport report = default;
                try
                {
                    (alpha, report) = KernelSolve(x, y, metric, kernel, kBuf.Span, t);
                }
                catch (Exception e) when (e is NotPositiveDefiniteException or IterationFailedException)
                {
                    if (t == 0)
                        throw new InvalidOperationException($"The plain kernel (iteration 0) could not be fitted: {Reason(e)}.", e);
                    history.Add(new RfmIteration(t, double.NaN, (Clock.Elapsed - started).TotalSeconds, report, Reason(e)));
                    break;
                }
                progress?.Report(new RfmProgress(t, RfmPhase.Solve, double.NaN, Clock.Elapsed));

                double score = double.NaN;
                bool better = !validate;
                if (validate)
                {
                    // The kernel buffer is free until the AGOP: the factor is no longer needed once alpha is known.
                    score = Score(BatchPredict.Run(x, alpha, c, metric, kernel, xv!, workers, kBuf.Span), yv!, classification);
                    progress?.Report(new RfmProgress(t, RfmPhase.Validate, score, Clock.Elapsed));
                    better = t == 0 || (classification ? score > bestScore : score < bestScore);
                }
                if (better)
                {
                    bestScore = score;
                    best = t;
                    bestAlpha = alpha;
                    bestMetric = (T[])metric.Clone();
                }

                // A perfect validation score cannot be beaten (ties keep the earliest iteration): nothing to gain from
                // more iterations. Common in the leaves of a tree, which often hold one or two classes. Part of early stopping:
                // a multiplier of double.MaxValue (every iteration scored, as the paper's protocol does) turns it off.
                bool perfect = validate && o.EarlyStopMultiplier < double.MaxValue && (classification ? bestScore >= 1 : bestScore == 0);
                bool stop = t >= iterations || perfect
                    || (validate && t > 0 && (classification ? score < bestScore / o.EarlyStopMultiplier : score > bestScore * o.EarlyStopMultiplier));
                string? failure = null;
                if (!stop)
                {
                    ct.ThrowIfCancellationRequested();
                    try
                    {
                        metric = MetricUpdate.Next(kernel, x, alpha, c, metric, sample, o, kBuf.Span, workers);
                        progress?.Report(new RfmProgress(t, RfmPhase.Agop, score, Clock.Elapsed));
                    }
                    catch (IterationFailedException e)
                    {
                        failure = Reason(e);
                    }
                }
                history.Add(new RfmIteration(t, score, (Clock.Elapsed - started).TotalSeconds, report));
                if (failure is not null)
                {
                    history.Add(new RfmIteration(t + 1, double.NaN, 0, default, failure));
                    break;
                }
                if (stop)
                    break;
            }
            return new FitState<T>(x, bestAlpha!, c, bestMetric!, kernel, history, best);
        }

        /// <summary>alpha for the given metric on all of (x, y): the refit after a holdout selection.</summary>
        public T[] SolveFor(DenseData<T> x, DenseData<T> y, T[] metric, KernelFunction kernel)
        {
            using var kBuf = PooledBuffer<T>.Rent(checked(x.Rows * x.Rows));
            try
            {
                return KernelSolve(x, y, metric, kernel, kBuf.Span, null).Alpha;
            }
            catch (Exception e) when (e is NotPositiveDefiniteException or IterationFailedException)
            {
                throw new InvalidOperationException($"The refit on every row with the chosen M could not be fitted: {Reason(e)}.", e);
            }
        }

        (T[] Alpha, RfmSolveReport Report) KernelSolve(DenseData<T> x, DenseData<T> y, T[] metric, KernelFunction kernel, Span<T> buffer, int? iteration)
        {
            int n = x.Rows, d = x.Cols;
            var k = new MatrixView<T>(buffer, n, n);
            var xView = new ReadOnlyMatrixView<T>(x.Values, n, d);
            KernelMatrix.Compute(workers, kernel, xView, xView, new ReadOnlyMatrixView<T>(metric, d, d), k);
            if (iteration is int t)
                progress?.Report(new RfmProgress(t, RfmPhase.Kernel, double.NaN, Clock.Elapsed));
            ct.ThrowIfCancellationRequested();
            return RidgeSolve.Solve(k, y, o);
        }

        static string Reason(Exception e) => e is NotPositiveDefiniteException
            ? $"the kernel matrix is not positive definite: {e.Message.TrimEnd('.')} (try a larger reg or bandwidth)"
            : e.Message + " (try a larger reg or bandwidth)";
    }

    static double Score<T>(T[] pred, DenseData<T> y, bool classification) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = y.Rows, c = y.Cols;
        if (classification)
        {
            int correct = 0;
            for (int i = 0; i < m; i++)
                if (ArgMax(pred.AsSpan(i * c, c)) == ArgMax(y.Row(i)))
                    correct++;
            return (double)correct / m;
        }
        double s = 0;
        for (int i = 0; i < pred.Length; i++)
        {
            double e = double.CreateTruncating(pred[i]) - double.CreateTruncating(y.Values[i]);
            s += e * e;
        }
        return s / pred.Length;
    }

    /// <summary>The first index of the largest value.</summary>
    internal static int ArgMax<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
            if (v[i] > v[best])
                best = i;
        return best;
    }
}
