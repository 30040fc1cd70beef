using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using RfmFast.Core;

namespace RfmFast.Cli;

/// <summary>The settings of one run of the protocol.</summary>
sealed record UciSettings
{
    /// <summary>The ridge grid, in the order the paper's script tries it (ties go to the earliest).</summary>
    public double[] Regs { get; init; } = [10, 1, 0.1, 0.01, 0.001];

    /// <summary>The Laplace bandwidth L.</summary>
    public double Bandwidth { get; init; } = 10;

    /// <summary>The last iteration evaluated: iterations 0..Iterations (0 is the plain kernel).</summary>
    public int Iterations { get; init; } = 4;

    /// <summary>Worker threads for the core (0: all processors).</summary>
    public int Threads { get; init; }

    /// <summary>The precision of every fit: float (fast) or double (the oracle's precision; ill-conditioned
    /// sets such as hill-valley at reg 1e-3 need it: the float kernel matrix's rounding noise exceeds reg).</summary>
    public FitPrecision Precision { get; init; } = FitPrecision.Float32;

    /// <summary>Null (the default): the paper's protocol, one RFM per fit. Else the tree variant for a dataset whose
    /// evaluation splits train on more rows than this (<see cref="UciProtocol"/>).</summary>
    public int? MaxLeafSize { get; init; }
}

/// <summary>The validation accuracies of one (reg, normalisation) setting on the tuning split. NaN marks an
/// iteration that could not be fitted (it is never selected).</summary>
/// <param name="Reg">The ridge.</param>
/// <param name="Normalize">Rows scaled to unit L2 norm.</param>
/// <param name="Accuracy">Validation accuracy of iterations 0..T, as a fraction of all validation rows.</param>
/// <param name="Failure">Null, or why the iterations whose accuracy is NaN could not be fitted.</param>
sealed record TuningResult(double Reg, bool Normalize, double[] Accuracy, string? Failure);

/// <summary>The outcome of the protocol on one dataset.</summary>
sealed record UciResult
{
    public required string Dataset { get; init; }
    public int N { get; init; }
    public int D { get; init; }
    public int Classes { get; init; }
    /// <summary>RFM as in the paper's script: M from the tuning split, coefficients refit per split.</summary>
    public double RfmTestAccuracy { get; init; }
    /// <summary>RFM re-run on each split's training rows for the chosen number of iterations (its own M).</summary>
    public double RfmRerunTestAccuracy { get; init; }
    public double LaplaceTestAccuracy { get; init; }
    public required double[] RfmFoldAccuracies { get; init; }
    public required double[] RfmRerunFoldAccuracies { get; init; }
    public required double[] LaplaceFoldAccuracies { get; init; }
    public double RfmValidationAccuracy { get; init; }
    public double LaplaceValidationAccuracy { get; init; }
    public double RfmReg { get; init; }
    public bool RfmNormalize { get; init; }
    public int RfmIteration { get; init; }
    public double LaplaceReg { get; init; }
    public bool LaplaceNormalize { get; init; }
    public double Seconds { get; init; }
    public required IReadOnlyList<TuningResult> Tuning { get; init; }
}

/// <summary>
/// The RFM paper's UCI protocol (Radhakrishnan et al., tabular_benchmark_experiments/main.py; the protocol of
/// Arora et al. 2019 on the Fernández-Delgado files): Laplace kernel with L = 10; for every reg in
/// {10, 1, 0.1, 0.01, 0.001} and row normalisation on/off (off only for balance-scale) fit RFM on the tuning
/// split's training rows and score iterations 0..4 on its validation rows; the best (reg, normalisation,
/// iteration) by validation accuracy (strictly greater wins, so the earliest in that order on ties) is kept;
/// then each of the 4 evaluation splits is fitted with it and scored on its test rows, and the 4 accuracies are
/// averaged. Two ways of fitting a split are reported: the paper's (keep the M learned on the tuning split and
/// refit only the kernel ridge coefficients; note that the tuning split's training rows include many of the
/// splits' test rows, so M has seen their labels) and a re-run (RFM run afresh on the split's training rows for
/// the chosen number of iterations, keeping the last M). The plain Laplace baseline is the same protocol
/// restricted to iteration 0.
/// The tree variant (<see cref="UciSettings.MaxLeafSize"/>, for large datasets): every fit is a tree of RFMs with
/// leaves of at most that many rows, each leaf choosing its own iteration (0..T, early stopping on) on a 20 % holdout
/// of its rows; the tuning chooses (reg, normalisation) by the tree's validation accuracy, the Laplace baseline the
/// same with iteration 0 only; each split is fitted afresh (no M is kept: the tree has one per leaf), so the RFM and
/// re-run columns are the same, and the iteration is reported as -1 (per leaf).
/// </summary>
static class UciProtocol
{
    /// <summary>Runs the protocol on one dataset. <paramref name="log"/> gets one line per tuning setting.</summary>
    public static UciResult Run(UciDataset ds, UciSettings s, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        if (s.MaxLeafSize is int leaf && ds.Folds.Max(f => f.Train.Length) > leaf)
            return RunTrees(ds, s, leaf, clock, log);
        int d = ds.D;
        var x = Matrix(ds.X, d);
        var (norms, known, Accuracy) = TuningRows(ds);

        // Tuning: every (reg, normalisation) in the paper's loop order (the search's grid order, reg-major). An
        // iteration that cannot be fitted (a kernel matrix that is not positive definite in float, a non-finite
        // AGOP) ends its fit with the earlier iterations kept; it is recorded in the history and scored NaN here.
        var candidates = new RfmSearchSpace { Regs = s.Regs, NormalizeRows = norms }
            .Grid(Options(s.Regs[0], s.Iterations, s) with { EarlyStopMultiplier = double.MaxValue });
        TuningResult Tuned(RfmSearchCandidate c) => new(c.Options.Reg, c.Options.Preprocessing.NormalizeRows,
            Array.ConvertAll(SearchTuning.Scores(c, s.Iterations), a => Accuracy(a)), SearchTuning.FailureOf(c));
        var search = RfmSearch.Classification(candidates, DataSplit.Rows(x, ds.TuneTrain), DataSplit.Rows(ds.Y, ds.TuneTrain),
            DataSplit.Rows(x, known), DataSplit.Rows(ds.Y, known), progress: log is null ? null : new SearchTuning.Sink<RfmSearchProgress>(p =>
            {
                var t = Tuned(p.Candidate);
                log($"    reg {Fmt.Reg(t.Reg),-5} norm {(t.Normalize ? "on " : "off")}  val acc by iteration: {string.Join(" ", Array.ConvertAll(t.Accuracy, a => Fmt.F(a, 4)))}" +
                    (t.Failure is null ? "" : $"  ({t.Failure})"));
            }));
        var tuning = search.Candidates.Select(Tuned).ToList();
        var accuracies = tuning.ConvertAll(t => t.Accuracy);
        var (rfmConfig, rfmIter) = SearchTuning.Select(accuracies, s.Iterations, higherIsBetter: true);
        var (lapConfig, _) = SearchTuning.Select(accuracies, 0, higherIsBetter: true);
        // The rescaled accuracy is increasing in the search's own score, so both choose the same setting.
        if (rfmConfig != search.BestIndex || rfmIter != search.BestModel.BestIteration)
            throw new InvalidOperationException($"internal: selection picked setting {rfmConfig} iteration {rfmIter}, the search {search.BestIndex} iteration {search.BestModel.BestIteration}");
        var rfm = tuning[rfmConfig];
        var lap = tuning[lapConfig];

        // Evaluation on the 4 splits. NormalizeRows is the arithmetic of Preprocessing.NormalizeRows, so the M
        // learned in the tuning applies to these rows.
        var normalized = NormalizeRows(x);
        var xRfm = rfm.Normalize ? normalized : x;
        var xLap = lap.Normalize ? normalized : x;
        var xMapped = rfmIter > 0 ? Transform(xRfm, search.BestModel.FeatureMatrix()) : xRfm;
        var rfmFolds = new double[ds.Folds.Length];
        var rerunFolds = new double[ds.Folds.Length];
        var lapFolds = new double[ds.Folds.Length];
        for (int r = 0; r < ds.Folds.Length; r++)
        {
            var (train, test) = ds.Folds[r];
            rfmFolds[r] = FitAndScore(xMapped, ds.Y, train, test, rfm.Reg, 0, s);
            // With iteration 0 chosen both ways are the plain kernel with the same reg.
            rerunFolds[r] = rfmIter > 0 ? FitAndScore(xRfm, ds.Y, train, test, rfm.Reg, rfmIter, s) : rfmFolds[r];
            lapFolds[r] = FitAndScore(xLap, ds.Y, train, test, lap.Reg, 0, s);
        }

        return new UciResult
        {
            Dataset = ds.Name, N = ds.N, D = d, Classes = ds.Classes,
            RfmTestAccuracy = Mean(rfmFolds), RfmRerunTestAccuracy = Mean(rerunFolds), LaplaceTestAccuracy = Mean(lapFolds),
            RfmFoldAccuracies = rfmFolds, RfmRerunFoldAccuracies = rerunFolds, LaplaceFoldAccuracies = lapFolds,
            RfmValidationAccuracy = rfm.Accuracy[rfmIter], LaplaceValidationAccuracy = lap.Accuracy[0],
            RfmReg = rfm.Reg, RfmNormalize = rfm.Normalize, RfmIteration = rfmIter,
            LaplaceReg = lap.Reg, LaplaceNormalize = lap.Normalize,
            Seconds = clock.Elapsed.TotalSeconds, Tuning = tuning,
        };
    }

    /// <summary>The row normalisations tried, the tuning split's validation rows the classifier can score, and the map
    /// from its accuracy on them to an accuracy over all validation rows. A validation row of a class absent from the
    /// training rows can never be predicted; the classifier only accepts known labels, so such rows are left out of
    /// its validation set and counted as wrong.</summary>
    static (bool[] Norms, int[] Known, Func<double, double> Accuracy) TuningRows(UciDataset ds)
    {
        bool[] norms = ds.Name == "balance-scale" ? [false] : [true, false];
        var trainLabels = new HashSet<int>(DataSplit.Rows(ds.Y, ds.TuneTrain));
        var known = Array.FindAll(ds.TuneValidation, i => trainLabels.Contains(ds.Y[i]));
        if (known.Length == 0)
            throw new CliException($"{ds.Name}: no validation row of the tuning split has a class of its training rows");
        return (norms, known, score => Math.Round(score * known.Length) / ds.TuneValidation.Length);
    }

    /// <summary>The tree variant of <see cref="Run"/> (see the class remarks).</summary>
    static UciResult RunTrees(UciDataset ds, UciSettings s, int leaf, Stopwatch clock, Action<string>? log)
    {
        var x = Matrix(ds.X, ds.D);
        var (norms, known, Accuracy) = TuningRows(ds);
        var tree = new TreeOptions { Mode = TreeMode.Always, MaxLeafSize = leaf };

        (RfmSearchResult<RfmClassifierModel> Search, List<TuningResult> Tuning) Tune(int iterations, string what)
        {
            var candidates = new RfmSearchSpace { Regs = s.Regs, NormalizeRows = norms }.Grid(TreeOptions(s.Regs[0], iterations, s, tree));
            var search = RfmSearch.Classification(candidates, DataSplit.Rows(x, ds.TuneTrain), DataSplit.Rows(ds.Y, ds.TuneTrain),
                DataSplit.Rows(x, known), DataSplit.Rows(ds.Y, known), progress: log is null ? null : new SearchTuning.Sink<RfmSearchProgress>(p =>
                    log($"    {what} reg {Fmt.Reg(p.Candidate.Options.Reg),-5} norm {(p.Candidate.Options.Preprocessing.NormalizeRows ? "on " : "off")}  tree val acc {Fmt.F(Accuracy(p.Candidate.Score), 4)}" +
                        (p.Candidate.Failure is null ? "" : $"  ({p.Candidate.Failure})"))));
            var tuning = search.Candidates.Select(c => new TuningResult(c.Options.Reg, c.Options.Preprocessing.NormalizeRows,
                [double.IsNaN(c.Score) ? double.NaN : Accuracy(c.Score)], c.Failure)).ToList();
            return (search, tuning);
        }

        var (rfmSearch, tuning) = Tune(s.Iterations, "RFM tree    ");
        var (lapSearch, lapTuning) = Tune(0, "Laplace tree");
        var rfm = tuning[rfmSearch.BestIndex];
        var lap = lapTuning[lapSearch.BestIndex];
        var normalized = NormalizeRows(x);
        var rfmFolds = new double[ds.Folds.Length];
        var lapFolds = new double[ds.Folds.Length];
        for (int r = 0; r < ds.Folds.Length; r++)
        {
            var (train, test) = ds.Folds[r];
            rfmFolds[r] = FitAndScore(rfm.Normalize ? normalized : x, ds.Y, train, test, TreeOptions(rfm.Reg, s.Iterations, s, tree));
            lapFolds[r] = FitAndScore(lap.Normalize ? normalized : x, ds.Y, train, test, TreeOptions(lap.Reg, 0, s, tree));
        }
        return new UciResult
        {
            Dataset = ds.Name, N = ds.N, D = ds.D, Classes = ds.Classes,
            RfmTestAccuracy = Mean(rfmFolds), RfmRerunTestAccuracy = Mean(rfmFolds), LaplaceTestAccuracy = Mean(lapFolds),
            RfmFoldAccuracies = rfmFolds, RfmRerunFoldAccuracies = rfmFolds, LaplaceFoldAccuracies = lapFolds,
            RfmValidationAccuracy = rfm.Accuracy[0], LaplaceValidationAccuracy = lap.Accuracy[0],
            RfmReg = rfm.Reg, RfmNormalize = rfm.Normalize, RfmIteration = -1,
            LaplaceReg = lap.Reg, LaplaceNormalize = lap.Normalize,
            Seconds = clock.Elapsed.TotalSeconds, Tuning = tuning,
        };
    }

    /// <summary>The tree variant's options: each leaf chooses its iteration on a holdout of its rows, early stopping on.</summary>
    static RfmOptions TreeOptions(double reg, int iterations, UciSettings s, TreeOptions tree) =>
        Options(reg, iterations, s) with { ValidationFraction = 0.2, Tree = tree };

    static double FitAndScore(float[,] x, int[] y, int[] train, int[] test, RfmOptions options)
    {
        var model = new RfmClassifier(options).Fit(DataSplit.Rows(x, train), DataSplit.Rows(y, train));
        return Metrics.Accuracy(DataSplit.Rows(y, test), model.Predict(DataSplit.Rows(x, test)));
    }

    static double FitAndScore(float[,] x, int[] y, int[] train, int[] test, double reg, int iterations, UciSettings s)
    {
        var options = Options(reg, iterations, s) with { ValidationFraction = 0 };
        var model = new RfmClassifier(options).Fit(DataSplit.Rows(x, train), DataSplit.Rows(y, train));
        return Metrics.Accuracy(DataSplit.Rows(y, test), model.Predict(DataSplit.Rows(x, test)));
    }

    static RfmOptions Options(double reg, int iterations, UciSettings s) => new()
    {
        Kernel = RfmKernel.Laplace,
        Bandwidth = s.Bandwidth,
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

    /// <summary>The n x d matrix of row-major values.</summary>
    static float[,] Matrix(float[] x, int d)
    {
        int n = x.Length / Math.Max(d, 1);
        var r = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = x[i * d + j];
        return r;
    }

    /// <summary>Each row scaled to unit L2 norm (a zero row stays zero), in double and rounded once, as
    /// <see cref="Preprocessing.NormalizeRows"/> does.</summary>
    public static float[,] NormalizeRows(float[,] x)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var r = new float[n, d];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
                s += (double)x[i, j] * x[i, j];
            double inv = s > 0 ? 1 / Math.Sqrt(s) : 1;
            for (int j = 0; j < d; j++)
                r[i, j] = (float)(x[i, j] * inv);
        }
        return r;
    }

    /// <summary>The rows mapped by S with S^T S = M (S = diag(sqrt(max(w, 0))) V^T from M = V diag(w) V^T), so
    /// that the plain Euclidean distance of mapped rows is the M-distance of the originals: a kernel fitted
    /// on them with M = I is the kernel with M.</summary>
    public static float[,] Transform(float[,] x, float[,] metric)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i * d + j] = 0.5 * ((double)metric[i, j] + metric[j, i]);
        var w = new double[d];
        var v = new double[d * d];
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(m, d, d), w, new MatrixView<double>(v, d, d));
        var scale = new double[d];
        for (int c = 0; c < d; c++)
            scale[c] = Math.Sqrt(Math.Max(w[c], 0));
        var r = new float[n, d];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < d; c++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += x[i, k] * v[k * d + c];
                r[i, c] = (float)(s * scale[c]);
            }
        }
        return r;
    }

    static double Mean(double[] v)
    {
        double s = 0;
        foreach (double a in v)
            s += a;
        return s / v.Length;
    }
}
