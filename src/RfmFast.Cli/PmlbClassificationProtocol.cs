using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace RfmFast.Cli;

/// <summary>One method's outcome on one outer split of the classification protocol.</summary>
/// <param name="Accuracy">Test accuracy, a fraction.</param>
/// <param name="Bandwidth">The chosen bandwidth.</param>
/// <param name="Reg">The chosen ridge.</param>
/// <param name="Iteration">The chosen iteration (always 0 for the plain kernel).</param>
/// <param name="ValidationAccuracy">The chosen setting's accuracy on the inner validation rows.</param>
/// <param name="FitSeconds">The final fit on the whole training part.</param>
/// <param name="PredictSeconds">The prediction of the test rows.</param>
/// <param name="IsTree">Whether the final model is a tree of RFMs (<see cref="RfmModel.IsTree"/>).</param>
/// <param name="Leaves">The final model's leaves: 1 for one RFM, else the tree's leaf count.</param>
sealed record PmlbClassificationSplit(double Accuracy, double Bandwidth, double Reg, int Iteration, double ValidationAccuracy,
    double FitSeconds, double PredictSeconds, bool IsTree, int Leaves);

/// <summary>The outcome of the classification protocol on one dataset.</summary>
sealed record PmlbClassificationResult
{
    public required string Dataset { get; init; }
    public int N { get; init; }
    public int D { get; init; }
    public int Classes { get; init; }
    public required PmlbClassificationSplit[] Rfm { get; init; }
    /// <summary>Null when the baseline was not run (<see cref="PmlbSettings.Baseline"/> off).</summary>
    public PmlbClassificationSplit[]? Laplace { get; init; }
    public double RfmAccuracy => Rfm.Average(r => r.Accuracy);
    public double LaplaceAccuracy => Laplace is null ? double.NaN : Laplace.Average(r => r.Accuracy);
    /// <summary>The tuning (the grid of fits on the inner split), summed over the splits.</summary>
    public double TuneSeconds { get; init; }
    public double Seconds { get; init; }
    /// <summary>Fits whose later iterations could not be fitted, one line each.</summary>
    public required string[] Failures { get; init; }
}

/// <summary>
/// The classification protocol of <c>rfm pmlb --task classification</c>. For each of <see cref="PmlbSettings.Splits"/>
/// seeded stratified splits (<see cref="DataSplit.Stratified"/> with seed <see cref="PmlbSettings.Seed"/> + k),
/// <see cref="PmlbSettings.TestFraction"/> of each class's rows is the test set and the rest the training part; the
/// labels are the file's integer class codes. Every fit standardises the features itself
/// (<see cref="Preprocessing.Standardize"/>, with its own training rows' means and deviations), so the test rows never
/// inform a choice.
/// <para>Tuning: a seeded stratified <see cref="PmlbSettings.ValidationFraction"/> of the training part (seed + 1000 +
/// k) is held out; of the rest at most <see cref="PmlbSettings.MaxTuneRows"/> rows and of the held-out part at most half
/// as many are used, seeded stratified subsets that keep a row of every class (seeds + 2000 + k and + 3000 + k). On
/// them <see cref="RfmSearch"/> fits every (bandwidth, reg) of the grid (as one RFM, never a tree) and iterations
/// 0..<see cref="PmlbSettings.Iterations"/> are scored by validation accuracy. RFM takes the best (bandwidth, reg,
/// iteration), the plain Laplace baseline (unless <see cref="PmlbSettings.Baseline"/> is off) the best (bandwidth,
/// reg) at iteration 0 (a strictly higher accuracy wins, so the earliest on ties, grid order bandwidth-major, as
/// <see cref="SearchTuning.Select"/> does for the regression protocol).</para>
/// <para>Final fit: <see cref="RfmClassifier"/> on the whole training part with the chosen settings (the chosen
/// number of iterations, keeping the last M; the baseline with 0, its result that of RFM's fit when RFM chose
/// iteration 0 of the same setting) and the library's default <see cref="RfmOptions.Tree"/>
/// (<see cref="PmlbSettings.Tree"/>, which the tool never changes): a training part of more than
/// <see cref="TreeOptions.MaxLeafSize"/> rows becomes a tree of RFMs. Reported per split: test accuracy, the
/// final fit's and the test prediction's seconds, and whether the model is a tree and its leaf count; per dataset the
/// means over the splits.</para>
/// </summary>
static class PmlbClassificationProtocol
{
    public static PmlbClassificationResult Run(PmlbDataset ds, PmlbSettings s, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        int[] labels = ds.IntLabels();
        var rfm = new PmlbClassificationSplit[s.Splits];
        var lap = s.Baseline ? new PmlbClassificationSplit[s.Splits] : null;
        var failures = new List<string>();
        double tuneSeconds = 0;
        for (int k = 0; k < s.Splits; k++)
        {
            var (train, test) = DataSplit.Stratified(labels, s.TestFraction, s.Seed + k);
            var trainLabels = DataSplit.Rows(labels, train);
            var (fit, val) = DataSplit.Stratified(trainLabels, s.ValidationFraction, s.Seed + 1000 + k);
            // fit and val are positions in train; the subsets keep a row of every class the part has, so every
            // validation label is among the fitting labels (a class of one training row stays in the fitting part).
            fit = Array.ConvertAll(Subset(trainLabels, fit, s.MaxTuneRows, s.Seed + 2000 + k), i => train[i]);
            val = Array.ConvertAll(Subset(trainLabels, val, Math.Max(1, s.MaxTuneRows / 2), s.Seed + 3000 + k), i => train[i]);

            var tuneClock = Stopwatch.StartNew();
            var accuracy = Tune(ds, labels, fit, val, s, k, failures, log);
            tuneSeconds += tuneClock.Elapsed.TotalSeconds;
            var (rc, rt) = SearchTuning.Select(accuracy.Scores, s.Iterations, higherIsBetter: true);
            var (lc, _) = SearchTuning.Select(accuracy.Scores, 0, higherIsBetter: true);
            log?.Invoke($"    split {k}: RFM L {Fmt.G(accuracy.Grid[rc].Bandwidth)} reg {Fmt.Reg(accuracy.Grid[rc].Reg)} iteration {rt}" +
                (lap is null ? "" : $"; Laplace L {Fmt.G(accuracy.Grid[lc].Bandwidth)} reg {Fmt.Reg(accuracy.Grid[lc].Reg)}") +
                $"; final fits on {train.Length} rows, test {test.Length} rows");

            var xTrain = ds.Rows(train);
            var xTest = ds.Rows(test);
            var yTest = DataSplit.Rows(labels, test);
            rfm[k] = Final("RFM", accuracy.Grid[rc].Bandwidth, accuracy.Grid[rc].Reg, rt, accuracy.Scores[rc][rt]);
            // When RFM chose the plain kernel's own setting (iteration 0 of the same L and reg), the baseline's final
            // fit would be the same fit: its result is reused.
            if (lap is not null && rt == 0 && rc == lc)
                log?.Invoke($"    split {k}: Laplace = RFM (iteration 0 of the same setting), not refitted");
            if (lap is not null)
                lap[k] = rt == 0 && rc == lc ? rfm[k]
                    : Final("Laplace", accuracy.Grid[lc].Bandwidth, accuracy.Grid[lc].Reg, 0, accuracy.Scores[lc][0]);

            PmlbClassificationSplit Final(string method, double bw, double reg, int iterations, double valAccuracy)
            {
                var options = Options(bw, reg, iterations, s, k);
                var watch = Stopwatch.StartNew();
                var model = new RfmClassifier(options).Fit(xTrain, trainLabels,
                    progress: log is null ? null : new SearchTuning.Sink<RfmProgress>(p => FinalProgress(log, method, p, watch.Elapsed)));
                double fitSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                int[] predicted = model.Predict(xTest);
                double predictSeconds = watch.Elapsed.TotalSeconds;
                double testAccuracy = Metrics.Accuracy<int>(yTest, predicted);
                var tree = model.IsTree ? model.Tree! : null;
                if (tree is null)
                {
                    if (FirstFailure(model.History) is { } h)
                        failures.Add($"split {k}, {method} final fit: iteration {h.Iteration} failed ({h.Failure})");
                }
                else
                {
                    for (int leaf = 0; leaf < tree.Leaves.Count; leaf++)
                        if (FirstFailure(tree.Leaves[leaf].History) is { } h)
                            failures.Add($"split {k}, {method} final fit, leaf {leaf}: iteration {h.Iteration} failed ({h.Failure})");
                }
                log?.Invoke($"    split {k}: {method} test accuracy {Fmt.Pct(testAccuracy)} %, fit {Fmt.F(fitSeconds, 1)} s" +
                    (tree is null ? "" : $" (tree of {tree.Leaves.Count} leaves)") + $", predict {Fmt.F(predictSeconds, 2)} s");
                return new PmlbClassificationSplit(testAccuracy, bw, reg, iterations, valAccuracy, fitSeconds, predictSeconds,
                    model.IsTree, tree?.Leaves.Count ?? 1);
            }
        }
        return new PmlbClassificationResult
        {
            Dataset = ds.Name, N = ds.N, D = ds.D, Classes = labels.Distinct().Count(), Rfm = rfm, Laplace = lap,
            TuneSeconds = tuneSeconds, Seconds = clock.Elapsed.TotalSeconds, Failures = [.. failures],
        };
    }

    /// <summary>The grid on the tuning rows: per (bandwidth, reg), bandwidth-major, the validation accuracy of
    /// iterations 0..T (NaN for an iteration that could not be fitted). Only the scores outlive this method, not the
    /// search's best model.</summary>
    static (IReadOnlyList<RfmOptions> Grid, List<double[]> Scores) Tune(PmlbDataset ds, int[] labels, int[] fit, int[] val,
        PmlbSettings s, int k, List<string> failures, Action<string>? log)
    {
        // Every iteration is scored (no early stop), and a tuning fit is one RFM even on many rows: a tree keeps no
        // per-iteration history to choose from.
        var baseOptions = Options(s.Bandwidths[0], s.Regs[0], s.Iterations, s, k) with
        {
            EarlyStopMultiplier = double.MaxValue,
            Tree = new TreeOptions { Mode = TreeMode.Never },
        };
        var grid = new RfmSearchSpace { Bandwidths = s.Bandwidths, Regs = s.Regs }.Grid(baseOptions);
        var search = RfmSearch.Classification(grid, ds.Rows(fit), DataSplit.Rows(labels, fit), ds.Rows(val), DataSplit.Rows(labels, val),
            progress: log is null ? null : new SearchTuning.Sink<RfmSearchProgress>(p =>
                log($"    split {k} L {Fmt.G(p.Candidate.Options.Bandwidth),-3} reg {Fmt.Reg(p.Candidate.Options.Reg),-5} val accuracy % by iteration: " +
                    string.Join(" ", SearchTuning.Scores(p.Candidate, s.Iterations).Select(a => Fmt.Pct(a))) +
                    $"  ({fit.Length} + {val.Length} rows, {Fmt.F(p.Candidate.Seconds, 1)} s)")));
        var scores = new List<double[]>();
        foreach (var c in search.Candidates)
        {
            scores.Add(SearchTuning.Scores(c, s.Iterations));
            if (SearchTuning.FailureOf(c) is { } failure)
                failures.Add($"split {k}, L {Fmt.G(c.Options.Bandwidth)}, reg {Fmt.Reg(c.Options.Reg)}: {failure}");
        }
        return (grid, scores);
    }

    /// <summary>A seeded stratified subset of at most <paramref name="cap"/> of the given positions (all of them when
    /// there are no more), with at least one row of every class among them (so more than <paramref name="cap"/> only
    /// when there are more classes than that). Ascending.</summary>
    /// <param name="labels">The label of each position.</param>
    /// <param name="positions">The positions to choose from.</param>
    /// <param name="cap">The most positions to keep.</param>
    /// <param name="seed">The seed of the choice.</param>
    public static int[] Subset(int[] labels, int[] positions, int cap, int seed)
    {
        if (positions.Length <= cap)
            return positions;
        var partLabels = DataSplit.Rows(labels, positions);
        // Each class keeps about cap/n of its rows, at least one (DataSplit.Stratified never holds out a class's last row).
        var kept = DataSplit.Stratified(partLabels, 1 - (double)cap / positions.Length, seed).Kept;
        if (kept.Length > cap)
        {
            // Rounding up per class can overshoot by a few rows: drop seeded ones of classes that keep more than one.
            var count = new Dictionary<int, int>();
            foreach (int i in kept)
                count[partLabels[i]] = count.GetValueOrDefault(partLabels[i]) + 1;
            var order = (int[])kept.Clone();
            new Random(seed).Shuffle(order);
            var drop = new HashSet<int>();
            foreach (int i in order)
            {
                if (kept.Length - drop.Count <= cap)
                    break;
                if (count[partLabels[i]] > 1)
                {
                    count[partLabels[i]]--;
                    drop.Add(i);
                }
            }
            kept = [.. kept.Where(i => !drop.Contains(i))];
        }
        return Array.ConvertAll(kept, i => positions[i]);
    }

    /// <summary>The first iteration that could not be fitted, or null.</summary>
    static RfmIteration? FirstFailure(IReadOnlyList<RfmIteration> history)
    {
        foreach (var h in history)
            if (h.Failure is not null)
                return h;
        return null;
    }

    /// <summary>In verbose mode, the final fit's tree: each split and the start of each leaf.</summary>
    static void FinalProgress(Action<string> log, string method, RfmProgress p, TimeSpan elapsed)
    {
        if (p.Phase == RfmPhase.Split)
            log($"    {method} final fit: split node {p.Node} done ({Fmt.F(elapsed.TotalSeconds, 1)} s)");
        else if (p.Node >= 0 && p.Iteration == 0 && p.Phase == RfmPhase.Kernel)
            log($"    {method} final fit: leaf {p.Node + 1} of {p.Leaves} ({Fmt.F(elapsed.TotalSeconds, 1)} s)");
    }

    /// <summary>The regression protocol's options with the library's feature standardisation, the split's seed and the
    /// settings' tree.</summary>
    static RfmOptions Options(double bw, double reg, int iterations, PmlbSettings s, int k) =>
        PmlbProtocol.Options(bw, reg, iterations, s) with { Preprocessing = Preprocessing.Standardize, Seed = s.Seed + k, Tree = s.Tree };
}
