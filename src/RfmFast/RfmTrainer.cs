using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast;

/// <summary>The fitted state the models are built from.</summary>
internal sealed record FitState<T>(DenseData<T> Centers, T[] Alpha, int Outputs, T[] Metric, KernelFunction Kernel,
    IReadOnlyList<RfmIteration> History, int BestIteration) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// The RFM loop shared by the regressor and the classifier: kernel matrix, ridge solve, validation score,
/// AGOP, repeated; the best iteration (by validation score, iteration 0 included, the earliest on ties) is
/// kept, with early stopping. One n x n float buffer serves the kernel matrix, its factorization and the
/// AGOP weights in turn; validation predictions are made in row blocks, so the fit's memory is one n x n
/// float matrix plus O((n + m) d + d^2).
/// </summary>
internal static class RfmTrainer
{
    const int PredictBlock = 512;

    /// <summary>Lower is better for regression (MSE); higher for classification (accuracy).</summary>
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

        int workers = o.MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : o.MaxDegreeOfParallelism;
        var clock = Stopwatch.StartNew();
        double bandwidth = o.AdaptiveBandwidth ? o.Bandwidth * MedianDistance(x, o.Seed) : o.Bandwidth;
        var kernel = o.KernelWith(bandwidth);

        if (xVal is null && o.ValidationFraction > 0 && o.Iterations > 0 && x.Rows >= 10)
        {
            // Hold out a seeded fraction to choose the iteration, then refit on everything with that M.
            var (trainIdx, valIdx) = Split(x.Rows, o.ValidationFraction, o.Seed);
            var chosen = Loop(x.Take(trainIdx), y.Take(trainIdx), x.Take(valIdx), y.Take(valIdx), o, kernel, classification, workers,
                progress, clock, ct);
            progress?.Report(new RfmProgress(chosen.BestIteration, RfmPhase.Refit, double.NaN, clock.Elapsed));
            var (alpha, _) = SolveFor(x, y, chosen.Metric, o, kernel, workers, ct);
            return chosen with { Centers = x, Alpha = alpha };
        }
        return Loop(x, y, xVal, yVal, o, kernel, classification, workers, progress, clock, ct);
    }

    static FitState<T> Loop<T>(DenseData<T> x, DenseData<T> y, DenseData<T>? xv, DenseData<T>? yv, RfmOptions o, KernelFunction kernel,
        bool classification, int workers, IProgress<RfmProgress>? progress, Stopwatch clock, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols, c = y.Cols;
        var metric = Identity<T>(d);
        var history = new List<RfmIteration>();
        T[]? bestAlpha = null, bestMetric = null;
        double bestScore = double.NaN;
        int best = 0;
        bool validate = xv is not null;
        using var kBuf = PooledBuffer<T>.Rent(checked(n * n));
        var sample = o.AgopSampleSize > 0 && o.AgopSampleSize < n ? SampleIndices(n, o.AgopSampleSize, o.Seed + 1) : [];

        for (int t = 0; t <= o.Iterations; t++)
        {
            ct.ThrowIfCancellationRequested();
            var started = clock.Elapsed;
            var k = new MatrixView<T>(kBuf.Span, n, n);
            var xView = new ReadOnlyMatrixView<T>(x.Values, n, d);
            KernelMatrix.Compute(Isa.Best, workers, kernel, xView, xView, new ReadOnlyMatrixView<T>(metric, d, d), true, k);
            progress?.Report(new RfmProgress(t, RfmPhase.Kernel, double.NaN, clock.Elapsed));
            ct.ThrowIfCancellationRequested();

            var (alpha, report) = Solve(k, y, o, workers);
            progress?.Report(new RfmProgress(t, RfmPhase.Solve, double.NaN, clock.Elapsed));

            double score = double.NaN;
            if (validate)
            {
                // The kernel buffer is free until the AGOP: the factor is no longer needed once alpha is known.
                score = Score(Predict(x, alpha, c, metric, kernel, xv!, kBuf.Span), yv!, classification);
                progress?.Report(new RfmProgress(t, RfmPhase.Validate, score, clock.Elapsed));
                bool better = t == 0 || (classification ? score > bestScore : score < bestScore);
                if (better)
                {
                    bestScore = score;
                    best = t;
                    bestAlpha = alpha;
                    bestMetric = (T[])metric.Clone();
                }
            }
            else
            {
                best = t;
                bestAlpha = alpha;
                bestMetric = (T[])metric.Clone();
            }

            bool stop = validate && t > 0 && (classification ? score < bestScore / o.EarlyStopMultiplier : score > bestScore * o.EarlyStopMultiplier);
            if (t < o.Iterations && !stop)
            {
                ct.ThrowIfCancellationRequested();
                metric = NextMetric(kernel, x, alpha, c, metric, sample, o, kBuf.Span, workers);
                progress?.Report(new RfmProgress(t, RfmPhase.Agop, score, clock.Elapsed));
            }
            history.Add(new RfmIteration(t, score, (clock.Elapsed - started).TotalSeconds, report));
            if (stop)
                break;
        }
        return new FitState<T>(x, bestAlpha!, c, bestMetric!, kernel, history, best);
    }

    /// <summary>alpha for the given metric on all of (x, y): the refit after a holdout selection.</summary>
    static (T[] Alpha, SolveReport Report) SolveFor<T>(DenseData<T> x, DenseData<T> y, T[] metric, RfmOptions o, KernelFunction kernel,
        int workers, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        using var kBuf = PooledBuffer<T>.Rent(checked(n * n));
        var k = new MatrixView<T>(kBuf.Span, n, n);
        var xView = new ReadOnlyMatrixView<T>(x.Values, n, d);
        KernelMatrix.Compute(Isa.Best, workers, kernel, xView, xView, new ReadOnlyMatrixView<T>(metric, d, d), true, k);
        ct.ThrowIfCancellationRequested();
        return Solve(k, y, o, workers);
    }

    static (T[] Alpha, SolveReport Report) Solve<T>(MatrixView<T> k, DenseData<T> y, RfmOptions o, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = k.Rows;
        T reg = T.CreateTruncating(o.Reg);
        for (int i = 0; i < n; i++)
            k[i, i] += reg;
        T[] result;
        SolveReport report;
        if (typeof(T) == typeof(float))
        {
            var (a, r) = SolveSingle((float[])(object)y.Values, n, y.Cols, o, k);
            (result, report) = ((T[])(object)a, r);
        }
        else
        {
            var (a, r) = SolveDouble((double[])(object)y.Values, n, y.Cols, k);
            (result, report) = ((T[])(object)a, r);
        }
        if (!Array.TrueForAll(result, T.IsFinite))
            throw new InvalidOperationException("The kernel ridge solve produced non-finite coefficients; increase reg.");
        return (result, report);
    }

    /// <summary>Float fit: the chosen <see cref="RfmOptions.SolvePrecision"/>, with the documented jitter when
    /// even that fails.</summary>
    static (float[] Alpha, SolveReport Report) SolveSingle<T>(float[] y, int n, int c, RfmOptions o, MatrixView<T> kGeneric)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = Reinterpret<T, float>(kGeneric);
        var x = new double[n * c];
        SolveReport report;
        try
        {
            // K(X, X) is computed in full, both triangles: no mirroring pass before the refinement.
            report = SpdSolver.SolveFullSymmetric(k, new ReadOnlyMatrixView<float>(y, n, c), new MatrixView<double>(x, n, c), o.SolvePrecision);
        }
        catch (NotPositiveDefiniteException)
        {
            // Documented jitter: the matrix is restored by the failed factorization.
            double jitter = Cholesky.FactorWithJitter(k, 1e-7, 8);
            var b = (float[])y.Clone();
            Cholesky.Solve(k, new MatrixView<float>(b, n, c));
            for (int i = 0; i < b.Length; i++)
                x[i] = b[i];
            report = new SolveReport(o.SolvePrecision, SolvePrecision.Float32, 0, double.NaN, true, $"not positive definite; jitter {jitter:G3} added");
        }
        var alpha = new float[n * c];
        for (int i = 0; i < alpha.Length; i++)
            alpha[i] = (float)x[i];
        return (alpha, report);
    }

    /// <summary>Double fit: a double Cholesky (<see cref="RfmOptions.SolvePrecision"/> does not apply), with the
    /// documented jitter when it fails.</summary>
    static (double[] Alpha, SolveReport Report) SolveDouble<T>(double[] y, int n, int c, MatrixView<T> kGeneric)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = Reinterpret<T, double>(kGeneric);
        var b = (double[])y.Clone();
        double jitter = Cholesky.FactorWithJitter(k, 1e-15, 16);
        Cholesky.Solve(k, new MatrixView<double>(b, n, c));
        var report = jitter == 0
            ? new SolveReport(SolvePrecision.Float64, SolvePrecision.Float64, 0, double.NaN, false, null)
            : new SolveReport(SolvePrecision.Float64, SolvePrecision.Float64, 0, double.NaN, true, $"not positive definite; jitter {jitter:G3} added");
        return (b, report);
    }

    /// <summary>The same matrix viewed as TOut, for the branches where T is known to be TOut.</summary>
    static MatrixView<TOut> Reinterpret<TIn, TOut>(MatrixView<TIn> v) where TIn : unmanaged where TOut : unmanaged =>
        new(System.Runtime.InteropServices.MemoryMarshal.Cast<TIn, TOut>(v.Data), v.Rows, v.Cols, v.Ld);

    static T[] NextMetric<T>(KernelFunction kernel, DenseData<T> x, T[] alpha, int c, T[] metric, int[] sample, RfmOptions o,
        Span<T> workspace, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        var g = new T[d * d];
        Core.Agop.Compute(Isa.Best, workers, kernel, new ReadOnlyMatrixView<T>(x.Values, n, d), new ReadOnlyMatrixView<T>(alpha, n, c),
            new ReadOnlyMatrixView<T>(metric, d, d), sample, new MatrixView<T>(g, d, d), o.CenterGradients, workspace);
        if (o.DiagonalMetric)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    if (i != j)
                        g[i * d + j] = T.Zero;
        if (o.Normalization == MetricNormalization.MaxEntry)
        {
            T max = T.Zero;
            foreach (T v in g)
                max = T.Max(max, T.Abs(v));
            if (max > T.Zero)
                for (int i = 0; i < g.Length; i++)
                    g[i] /= max;
        }
        if (!Array.TrueForAll(g, T.IsFinite))
            throw new InvalidOperationException("The AGOP is not finite; the fit diverged (try a larger reg or bandwidth).");
        return g;
    }

    /// <summary>Predictions for the rows of <paramref name="q"/>, in blocks of rows so memory stays O(block n).
    /// A <paramref name="workspace"/> (the fit's free n x n buffer) allows blocks as large as it holds: one
    /// 10000 x 10000 kernel call took 0.08 s where twenty 512-row calls took 0.13 to 0.18 s.</summary>
    internal static T[] Predict<T>(DenseData<T> centers, T[] alpha, int c, T[] metric, KernelFunction kernel, DenseData<T> q,
        Span<T> workspace = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = centers.Rows, d = centers.Cols, m = q.Rows;
        var result = new T[m * c];
        int block = Math.Max(PredictBlock, n == 0 ? 0 : workspace.Length / n);
        using var pooled = PooledBuffer<T>.Rent(block * n <= workspace.Length ? 0 : Math.Min(PredictBlock, m) * n);
        Span<T> kb = block * n <= workspace.Length ? workspace : pooled.Span;
        var cv = new ReadOnlyMatrixView<T>(centers.Values, n, d);
        var mv = new ReadOnlyMatrixView<T>(metric, d, d);
        var av = new ReadOnlyMatrixView<T>(alpha, n, c);
        for (int r0 = 0; r0 < m; r0 += block)
        {
            int rows = Math.Min(block, m - r0);
            var kv = new MatrixView<T>(kb[..(rows * n)], rows, n);
            KernelMatrix.Compute(Isa.Best, WorkerPool.DefaultWorkers, kernel, new ReadOnlyMatrixView<T>(q.Values.AsSpan(r0 * d, rows * d), rows, d),
                cv, mv, true, kv);
            Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, T.One, kv, av, T.Zero,
                new MatrixView<T>(result.AsSpan(r0 * c, rows * c), rows, c));
        }
        return result;
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

    internal static int ArgMax<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
            if (v[i] > v[best])
                best = i;
        return best;
    }

    static T[] Identity<T>(int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new T[d * d];
        for (int i = 0; i < d; i++)
            m[i * d + i] = T.One;
        return m;
    }

    static (int[] Train, int[] Validation) Split(int n, double fraction, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        new Random(seed).Shuffle(order);
        int nv = Math.Clamp((int)Math.Round(n * fraction), 1, n - 1);
        var val = order[..nv];
        var train = order[nv..];
        Array.Sort(val);
        Array.Sort(train);
        return (train, val);
    }

    static int[] SampleIndices(int n, int size, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        new Random(seed).Shuffle(order);
        var s = order[..size];
        Array.Sort(s);
        return s;
    }

    /// <summary>The median Euclidean distance between distinct points of a seeded sample of at most 2000 rows.</summary>
    static double MedianDistance<T>(DenseData<T> x, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = Math.Min(2000, x.Rows);
        var rows = (x.Rows > s ? x.Take(SampleIndices(x.Rows, s, seed + 2)) : x).To<double>();
        var d2 = new double[s * s];
        var v = new ReadOnlyMatrixView<double>(rows.Values, s, x.Cols);
        Distances.SquaredEuclidean(v, v, new MatrixView<double>(d2, s, s));
        var off = new List<double>(s * (s - 1) / 2);
        for (int i = 0; i < s; i++)
            for (int j = 0; j < i; j++)
                off.Add(d2[i * s + j]);
        if (off.Count == 0)
            return 1;
        off.Sort();
        double med = Math.Sqrt(off[off.Count / 2]);
        return med > 1e-14 ? med : 1;
    }
}
