using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace RfmFast.Cli;

/// <summary>Which PMLB protocol <c>rfm pmlb</c> runs.</summary>
enum PmlbTask
{
    /// <summary><see cref="PmlbProtocol"/> on the real regression datasets.</summary>
    Regression,

    /// <summary><see cref="PmlbClassificationProtocol"/> on the classification datasets.</summary>
    Classification,
}

/// <summary>The settings of the PMLB protocols (regression: <see cref="PmlbProtocol"/>; classification:
/// <see cref="PmlbClassificationProtocol"/>, whose defaults are <see cref="ForClassification"/>).</summary>
sealed record PmlbSettings
{
    /// <summary>The protocol.</summary>
    public PmlbTask Task { get; init; } = PmlbTask.Regression;

    /// <summary>The classification protocol's defaults: L in {1, 10} x reg in {1e-3, 0.1} and one split (its
    /// datasets have 5000 to 494020 rows).</summary>
    public static PmlbSettings ForClassification() => new() { Task = PmlbTask.Classification, Regs = [1e-3, 1e-1], Splits = 1 };

    /// <summary>Classification: also fit and score the plain Laplace kernel (regression always does).</summary>
    public bool Baseline { get; init; } = true;

    /// <summary>Classification: the final fits' <see cref="RfmOptions.Tree"/>. The tool keeps the library's defaults
    /// (a tree when the training part has more than <see cref="TreeOptions.DefaultMaxLeafSize"/> rows); tests set
    /// small leaves to exercise a tree on a small dataset.</summary>
    public TreeOptions Tree { get; init; } = new();

    /// <summary>The Laplace bandwidth grid (features standardised, so distances are in units of standard deviations).</summary>
    public double[] Bandwidths { get; init; } = [1, 10];

    /// <summary>The ridge grid (regression: the target is standardised, so reg is relative to a unit-variance response;
    /// classification: one-hot targets).</summary>
    public double[] Regs { get; init; } = [1, 0.1, 0.01, 0.001];

    /// <summary>The last iteration scored: iterations 0..Iterations (0 is the plain kernel).</summary>
    public int Iterations { get; init; } = 4;

    /// <summary>Seeded outer train/test splits.</summary>
    public int Splits { get; init; } = 5;

    /// <summary>The fraction of rows each outer split holds out as its test set.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>The fraction of an outer training part held out to choose the settings.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>At most this many rows of the fitting part and half as many of the validation part are used to
    /// choose the settings (a seeded subset; the grid costs 40 fits, a Cholesky each), while the final fit uses
    /// the whole training part.</summary>
    public int MaxTuneRows { get; init; } = 5000;

    /// <summary>Split k shuffles the rows (classification: each class's rows) with seed Seed + k.</summary>
    public int Seed { get; init; }

    /// <summary>Worker threads for the core (0: all processors).</summary>
    public int Threads { get; init; }

    public FitPrecision Precision { get; init; } = FitPrecision.Float32;
}

/// <summary>The outcome of one outer split for one method.</summary>
/// <param name="Rmse">Test RMSE in the target's units.</param>
/// <param name="R2">Test R^2 = 1 - SSE / SST, SST about the test rows' own mean.</param>
/// <param name="Bandwidth">The chosen bandwidth.</param>
/// <param name="Reg">The chosen ridge.</param>
/// <param name="Iteration">The chosen iteration (always 0 for the plain kernel).</param>
/// <param name="ValidationMse">The chosen setting's MSE on the inner validation rows (standardised target).</param>
sealed record PmlbSplitResult(double Rmse, double R2, double Bandwidth, double Reg, int Iteration, double ValidationMse);

/// <summary>The outcome of the protocol on one dataset.</summary>
sealed record PmlbResult
{
    public required string Dataset { get; init; }
    public int N { get; init; }
    public int D { get; init; }
    public required PmlbSplitResult[] Rfm { get; init; }
    public required PmlbSplitResult[] Laplace { get; init; }
    public double RfmRmse => Rfm.Average(r => r.Rmse);
    public double RfmR2 => Rfm.Average(r => r.R2);
    public double LaplaceRmse => Laplace.Average(r => r.Rmse);
    public double LaplaceR2 => Laplace.Average(r => r.R2);
    public double Seconds { get; init; }
    /// <summary>Tuning settings whose later iterations could not be fitted, one line each.</summary>
    public required string[] Failures { get; init; }
}

/// <summary>
/// A regression protocol for PMLB: for each of <see cref="PmlbSettings.Splits"/> seeded shuffles, the first
/// <see cref="PmlbSettings.TestFraction"/> of the rows is the test set and the rest the training part. Features
/// and target are standardised with the training part's mean and standard deviation. A seeded
/// <see cref="PmlbSettings.ValidationFraction"/> of the training part is held out (both parts capped at
/// <see cref="PmlbSettings.MaxTuneRows"/> and half that, a seeded subset); RFM is fitted on the rest for
/// every (bandwidth, reg) of the grid and iterations 0..T are scored by validation MSE. RFM takes the best
/// (bandwidth, reg, iteration), the plain Laplace baseline the best (bandwidth, reg) at iteration 0 (strictly
/// smaller MSE wins, so the earliest on ties, grid order bandwidth-major). Each is then refitted on the whole
/// training part (RFM for the chosen number of iterations, keeping its last M) and scored on the test rows in
/// the target's units: RMSE and R^2. Results are means over the splits.
/// </summary>
static class PmlbProtocol
{
    public static PmlbResult Run(PmlbDataset ds, PmlbSettings s, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var rfm = new PmlbSplitResult[s.Splits];
        var lap = new PmlbSplitResult[s.Splits];
        var failures = new List<string>();
        for (int k = 0; k < s.Splits; k++)
        {
            var (train, test) = Split(ds.N, s.TestFraction, s.Seed + k);
            var (fit, val) = Split(train.Length, s.ValidationFraction, s.Seed + 1000 + k);
            // fit and val are shuffled positions in train, so their first rows are a seeded subset.
            fit = Array.ConvertAll(fit[..Math.Min(fit.Length, s.MaxTuneRows)], i => train[i]);
            val = Array.ConvertAll(val[..Math.Min(val.Length, Math.Max(1, s.MaxTuneRows / 2))], i => train[i]);

            // Everything is scaled by the outer training part only; the test rows never inform a choice.
            var xs = Standardizer.Fit(Pick(ds.X, ds.D, train), ds.D, enabled: true);
            var (yMean, ySd) = MeanSd(ds.Y, train);
            float[,] Rows(int[] idx) => xs.Apply(Pick(ds.X, ds.D, idx), ds.D);
            float[] Targets(int[] idx) => Array.ConvertAll(idx, i => (float)((ds.Y[i] - yMean) / ySd));

            // The grid, bandwidth-major as the search lists it; iterations 0..T scored by validation MSE
            // (standardised target). An iteration that could not be fitted is NaN, never selected.
            var candidates = new RfmSearchSpace { Bandwidths = s.Bandwidths, Regs = s.Regs }
                .Grid(Options(s.Bandwidths[0], s.Regs[0], s.Iterations, s) with { EarlyStopMultiplier = double.MaxValue });
            var search = RfmSearch.Regression(candidates, Rows(fit), Targets(fit), Rows(val), Targets(val),
                progress: log is null ? null : new SearchTuning.Sink<RfmSearchProgress>(p =>
                    log($"    split {k} L {Fmt.G(p.Candidate.Options.Bandwidth),-3} reg {Fmt.Reg(p.Candidate.Options.Reg),-5} val MSE by iteration: " +
                        string.Join(" ", SearchTuning.Scores(p.Candidate, s.Iterations).Select(m => Fmt.F(m, 4))))));
            var mse = new List<double[]>();
            foreach (var c in search.Candidates)
            {
                mse.Add(SearchTuning.Scores(c, s.Iterations));
                if (SearchTuning.FailureOf(c) is { } failure)
                    failures.Add($"split {k}, L {Fmt.G(c.Options.Bandwidth)}, reg {Fmt.Reg(c.Options.Reg)}: {failure}");
            }

            var xTrain = Rows(train);
            var yTrain = Targets(train);
            var xTest = Rows(test);
            var (rc, rt) = SearchTuning.Select(mse, s.Iterations, higherIsBetter: false);
            var (lc, _) = SearchTuning.Select(mse, 0, higherIsBetter: false);
            rfm[k] = Score(candidates[rc].Bandwidth, candidates[rc].Reg, rt, mse[rc][rt]);
            lap[k] = Score(candidates[lc].Bandwidth, candidates[lc].Reg, 0, mse[lc][0]);

            PmlbSplitResult Score(double bw, double reg, int iterations, double valMse)
            {
                var options = Options(bw, reg, iterations, s);
                var model = new RfmRegressor(options).Fit(xTrain, yTrain);
                var pred = model.Predict(xTest);
                var truth = DataSplit.Rows(ds.Y, test);
                var predicted = Array.ConvertAll(pred, p => p * ySd + yMean);
                double rmse = Metrics.RootMeanSquaredError(truth, predicted), r2 = Metrics.R2(truth, predicted);
                return new PmlbSplitResult(rmse, r2, bw, reg, iterations, valMse);
            }
        }
        return new PmlbResult
        {
            Dataset = ds.Name, N = ds.N, D = ds.D, Rfm = rfm, Laplace = lap,
            Seconds = clock.Elapsed.TotalSeconds, Failures = [.. failures],
        };
    }

    /// <summary>A seeded shuffle of 0..n-1: the first round(fraction * n) indices (at least 1) are held out. Both
    /// parts stay in shuffled order (unlike <see cref="DataSplit.Random"/>, which sorts them): the order of the rows
    /// is the order of a fit's kernel matrix, and the first <see cref="PmlbSettings.MaxTuneRows"/> of a part are
    /// its seeded subset.</summary>
    public static (int[] Kept, int[] HeldOut) Split(int n, double fraction, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        int held = Math.Clamp((int)Math.Round(fraction * n), 1, n - 1);
        return (order[held..], order[..held]);
    }

    static float[] Pick(float[] x, int d, int[] idx)
    {
        var r = new float[idx.Length * d];
        for (int i = 0; i < idx.Length; i++)
            Array.Copy(x, (long)idx[i] * d, r, (long)i * d, d);
        return r;
    }

    static (double Mean, double Sd) MeanSd(double[] y, int[] idx)
    {
        double mean = 0;
        foreach (int i in idx)
            mean += y[i];
        mean /= idx.Length;
        double ss = 0;
        foreach (int i in idx)
            ss += (y[i] - mean) * (y[i] - mean);
        double sd = idx.Length > 1 ? Math.Sqrt(ss / (idx.Length - 1)) : 0;
        return (mean, sd > 0 ? sd : 1);
    }

    /// <summary>The options of one PMLB fit (one RFM: the protocol selects one of its iterations).</summary>
    internal static RfmOptions Options(double bw, double reg, int iterations, PmlbSettings s) => new()
    {
        Kernel = RfmKernel.Laplace,
        Bandwidth = bw,
        Reg = reg,
        Iterations = iterations,
        Normalization = MetricNormalization.Mean,
        AgopSampleSize = 0,
        ValidationFraction = 0,
        MaxDegreeOfParallelism = s.Threads,
        Precision = s.Precision,
        // The paper's protocol selects an iteration of one RFM (and keeps its M): no tree, whatever the size.
        Tree = new TreeOptions { Mode = TreeMode.Never },
    };
}
