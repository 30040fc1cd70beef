using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The fitted state the models are built from.</summary>
internal sealed record FitState(DenseData Centers, float[] Alpha, int Outputs, float[] Metric, KernelFunction Kernel,
    IReadOnlyList<RfmIteration> History, int BestIteration);

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
    public static FitState Fit(DenseData x, DenseData y, DenseData? xVal, DenseData? yVal, RfmOptions o, bool classification,
        IProgress<RfmProgress>? progress, CancellationToken ct)
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

    static FitState Loop(DenseData x, DenseData y, DenseData? xv, DenseData? yv, RfmOptions o, KernelFunction kernel,
        bool classification, int workers, IProgress<RfmProgress>? progress, Stopwatch clock, CancellationToken ct)
    {
        int n = x.Rows, d = x.Cols, c = y.Cols;
        var metric = Identity(d);
        var history = new List<RfmIteration>();
        float[]? bestAlpha = null, bestMetric = null;
        double bestScore = double.NaN;
        int best = 0;
        bool validate = xv is not null;
        using var kBuf = PooledBuffer<float>.Rent(checked(n * n));
        var sample = o.AgopSampleSize > 0 && o.AgopSampleSize < n ? SampleIndices(n, o.AgopSampleSize, o.Seed + 1) : [];

        for (int t = 0; t <= o.Iterations; t++)
        {
            ct.ThrowIfCancellationRequested();
            var started = clock.Elapsed;
            var k = new MatrixView<float>(kBuf.Span, n, n);
            var xView = new ReadOnlyMatrixView<float>(x.Values, n, d);
            var mView = new ReadOnlyMatrixView<float>(metric, d, d);
            KernelMatrix.Compute(kernel, xView, xView, mView, k);
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
                    bestMetric = (float[])metric.Clone();
                }
            }
            else
            {
                best = t;
                bestAlpha = alpha;
                bestMetric = (float[])metric.Clone();
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
        return new FitState(x, bestAlpha!, c, bestMetric!, kernel, history, best);
    }

    /// <summary>alpha for the given metric on all of (x, y): the refit after a holdout selection.</summary>
    static (float[] Alpha, SolveReport Report) SolveFor(DenseData x, DenseData y, float[] metric, RfmOptions o, KernelFunction kernel,
        int workers, CancellationToken ct)
    {
        int n = x.Rows, d = x.Cols;
        using var kBuf = PooledBuffer<float>.Rent(checked(n * n));
        var k = new MatrixView<float>(kBuf.Span, n, n);
        var xView = new ReadOnlyMatrixView<float>(x.Values, n, d);
        KernelMatrix.Compute(kernel, xView, xView, new ReadOnlyMatrixView<float>(metric, d, d), k);
        ct.ThrowIfCancellationRequested();
        return Solve(k, y, o, workers);
    }

    static (float[] Alpha, SolveReport Report) Solve(MatrixView<float> k, DenseData y, RfmOptions o, int workers)
    {
        int n = k.Rows, c = y.Cols;
        float reg = (float)o.Reg;
        for (int i = 0; i < n; i++)
            k[i, i] += reg;
        var x = new double[n * c];
        SolveReport report;
        try
        {
            // K(X, X) is computed in full, both triangles: no mirroring pass before the refinement.
            report = SpdSolver.SolveFullSymmetric(k, new ReadOnlyMatrixView<float>(y.Values, n, c), new MatrixView<double>(x, n, c), o.SolvePrecision);
        }
        catch (NotPositiveDefiniteException)
        {
            // Documented jitter: the matrix is restored by the failed factorization; factor A + jitter I in double.
            double jitter = Cholesky.FactorWithJitter(k, 1e-7, 8);
            var b = new float[n * c];
            y.Values.AsSpan().CopyTo(b);
            Cholesky.Solve(k, new MatrixView<float>(b, n, c));
            for (int i = 0; i < b.Length; i++)
                x[i] = b[i];
            report = new SolveReport(o.SolvePrecision, SolvePrecision.Float32, 0, double.NaN, true, $"not positive definite; jitter {jitter:G3} added");
        }
        var alpha = new float[n * c];
        for (int i = 0; i < alpha.Length; i++)
            alpha[i] = (float)x[i];
        if (!Array.TrueForAll(alpha, float.IsFinite))
            throw new InvalidOperationException("The kernel ridge solve produced non-finite coefficients; increase reg.");
        return (alpha, report);
    }

    static float[] NextMetric(KernelFunction kernel, DenseData x, float[] alpha, int c, float[] metric, int[] sample, RfmOptions o,
        Span<float> workspace, int workers)
    {
        int n = x.Rows, d = x.Cols;
        var g = new float[d * d];
        Core.Agop.Compute(Isa.Best, workers, kernel, new ReadOnlyMatrixView<float>(x.Values, n, d), new ReadOnlyMatrixView<float>(alpha, n, c),
            new ReadOnlyMatrixView<float>(metric, d, d), sample, new MatrixView<float>(g, d, d), o.CenterGradients, workspace);
        if (o.DiagonalMetric)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    if (i != j)
                        g[i * d + j] = 0;
        if (o.Normalization == MetricNormalization.MaxEntry)
        {
            float max = 0;
            foreach (float v in g)
                max = Math.Max(max, Math.Abs(v));
            if (max > 0)
                for (int i = 0; i < g.Length; i++)
                    g[i] /= max;
        }
        if (!Array.TrueForAll(g, float.IsFinite))
            throw new InvalidOperationException("The AGOP is not finite; the fit diverged (try a larger reg or bandwidth).");
        return g;
    }

    /// <summary>Predictions for the rows of <paramref name="q"/>, in blocks of rows so memory stays O(block n).
    /// A <paramref name="workspace"/> (the fit's free n x n buffer) allows blocks as large as it holds: one
    /// 10000 x 10000 kernel call took 0.08 s where twenty 512-row calls took 0.13 to 0.18 s.</summary>
    internal static float[] Predict(DenseData centers, float[] alpha, int c, float[] metric, KernelFunction kernel, DenseData q,
        Span<float> workspace = default)
    {
        int n = centers.Rows, d = centers.Cols, m = q.Rows;
        var result = new float[m * c];
        int block = Math.Max(PredictBlock, n == 0 ? 0 : workspace.Length / n);
        using var pooled = PooledBuffer<float>.Rent(block * n <= workspace.Length ? 0 : Math.Min(PredictBlock, m) * n);
        Span<float> kb = block * n <= workspace.Length ? workspace : pooled.Span;
        var cv = new ReadOnlyMatrixView<float>(centers.Values, n, d);
        var mv = new ReadOnlyMatrixView<float>(metric, d, d);
        var av = new ReadOnlyMatrixView<float>(alpha, n, c);
        for (int r0 = 0; r0 < m; r0 += block)
        {
            int rows = Math.Min(block, m - r0);
            var kv = new MatrixView<float>(kb[..(rows * n)], rows, n);
            KernelMatrix.Compute(kernel, new ReadOnlyMatrixView<float>(q.Values.AsSpan(r0 * d, rows * d), rows, d), cv, mv, kv);
            Blas.Gemm(Transpose.No, Transpose.No, 1f, kv, av, 0f, new MatrixView<float>(result.AsSpan(r0 * c, rows * c), rows, c));
        }
        return result;
    }

    static double Score(float[] pred, DenseData y, bool classification)
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
            double e = pred[i] - y.Values[i];
            s += e * e;
        }
        return s / pred.Length;
    }

    internal static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
            if (v[i] > v[best])
                best = i;
        return best;
    }

    static float[] Identity(int d)
    {
        var m = new float[d * d];
        for (int i = 0; i < d; i++)
            m[i * d + i] = 1;
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
    static double MedianDistance(DenseData x, int seed)
    {
        int s = Math.Min(2000, x.Rows);
        var rows = x.Rows > s ? x.Take(SampleIndices(x.Rows, s, seed + 2)) : x;
        var d2 = new float[s * s];
        var v = new ReadOnlyMatrixView<float>(rows.Values, s, x.Cols);
        Distances.SquaredEuclidean(v, v, new MatrixView<float>(d2, s, s));
        var off = new List<float>(s * (s - 1) / 2);
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
