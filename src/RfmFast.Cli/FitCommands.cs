using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace RfmFast.Cli;

/// <summary>The settings shared by <c>rfm fit</c> and <c>rfm eval</c>.</summary>
sealed record FitSettings
{
    public required string Data { get; init; }
    public required string Target { get; init; }
    public TaskKind Task { get; init; }
    public double Reg { get; init; } = 1e-3;
    public double Bandwidth { get; init; } = 10;
    public int Iterations { get; init; } = 5;
    public RfmKernel Kernel { get; init; } = RfmKernel.Laplace;
    public int Seed { get; init; }
    public bool Standardize { get; init; } = true;
    public int Threads { get; init; }
    public TreeOptions Tree { get; init; } = new();

    public RfmOptions Options(double validationFraction, Tabular train) => new()
    {
        Kernel = Kernel,
        Bandwidth = Bandwidth,
        Reg = Reg,
        Iterations = Iterations,
        Seed = Seed,
        ValidationFraction = validationFraction,
        MaxDegreeOfParallelism = Threads,
        Tree = Tree,
        // Regression targets are always fitted standardised; predictions come back in the target's units.
        Preprocessing = new Preprocessing
        {
            StandardizeFeatures = Standardize, StandardizeTarget = true,
            CategoricalFeatures = [.. train.Categories.Keys.Order()], CategoryNames = train.Categories,
        },
    };
}

/// <summary><c>rfm fit</c> and <c>rfm eval</c> on a CSV file with a header row.</summary>
static class FitCommands
{
    /// <summary>The estimators hold out rows to choose the iteration only from this many training rows on.</summary>
    const int MinHoldoutRows = 10;

    /// <summary>Fits on DATA and reports every iteration. With <paramref name="valFile"/> the iteration is chosen
    /// on that file; else on a seeded holdout of <paramref name="valFraction"/> of the rows, then refit on all.</summary>
    public static int Fit(FitSettings s, string? valFile, double? valFraction, string? outPath, TextWriter o, string? planDir = null)
    {
        if (planDir is not null && outPath is not null)
            throw new CliException("use either --plan (write the leaves' jobs) or --out (save a fitted model), not both");
        if (valFile is not null && valFraction is not null)
            throw new CliException("use either --val or --val-fraction, not both");
        double fraction = valFraction ?? new RfmOptions().ValidationFraction;
        if (!(fraction >= 0 && fraction < 1))
            throw new CliException($"--val-fraction must be in [0, 1), got {Fmt.G(fraction)}");
        Check(s);
        var clock = Stopwatch.StartNew();
        var table = CsvTable.Read(s.Data);
        var train = Tabular.From(table, s.Target);
        Tabular? val = null;
        if (valFile is not null)
            val = Tabular.From(CsvTable.Read(valFile), s.Target, train.Features, train.Categories);
        var task = train.Resolve(s.Task, out string why);
        var x = train.Matrix();
        var xv = val?.Matrix();

        o.WriteLine($"data: {s.Data}  n={train.N} d={train.D}  target '{s.Target}'  task {Name(task)} ({why})");
        string selection = val is not null ? $"iteration chosen on {valFile} (n={val.N})"
            : fraction > 0 && s.Iterations > 0 && train.N >= MinHoldoutRows ? $"iteration chosen on a {Fmt.G(100 * fraction)} % holdout (seed {s.Seed}), then refit on all rows"
            : "no validation: the last iteration is kept";
        o.WriteLine($"fit: {Describe(s)}; {selection}");

        var options = s.Options(fraction, train);
        if (planDir is not null)
            return Plan(s, options, train, task, x, xv, val, valFile, planDir, clock, o);
        RfmModel saved;
        if (task == TaskKind.Classification)
        {
            var labels = train.Labels(s.Data, s.Target);
            var progress = new ProgressPrinter(o, classification: true, 1);
            var model = labels.Fit(new RfmClassifier(options), x, xv, val?.Target, valFile, progress);
            saved = model;
            History(o, model, classification: true);
            o.WriteLine($"classes: {model.ClassNames.Count} ({Preview([.. model.ClassNames])})");
            o.WriteLine($"train accuracy {Fmt.F(Metrics.Accuracy(labels.Normalized(train.Target), model.PredictLabels(x)), 4)}");
            if (xv is not null)
                o.WriteLine($"validation accuracy {Fmt.F(Metrics.Accuracy(labels.Normalized(val!.Target), model.PredictLabels(xv)), 4)} (n={val.N})");
        }
        else
        {
            var y = train.Numbers(s.Data, s.Target);
            var yv = val?.Numbers(valFile!, s.Target);
            var progress = new ProgressPrinter(o, classification: false, Sd(y));
            var model = new RfmRegressor(options).Fit(x, y, xv, yv, progress);
            saved = model;
            History(o, model, classification: false);
            var pred = model.Predict(x);
            o.WriteLine($"train RMSE {Fmt.G(Metrics.RootMeanSquaredError(y, pred))}  R^2 {Fmt.F(Metrics.R2(y, pred), 4)}");
            if (xv is not null)
            {
                var pv = model.Predict(xv);
                o.WriteLine($"validation RMSE {Fmt.G(Metrics.RootMeanSquaredError(yv!, pv))}  R^2 {Fmt.F(Metrics.R2(yv!, pv), 4)} (n={val!.N})");
            }
        }
        if (outPath is not null)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (dir is not null)
                Directory.CreateDirectory(dir);
            saved.Save(outPath, train.Features, s.Target);
            o.WriteLine($"model saved to {outPath} ({new FileInfo(outPath).Length} bytes)");
        }
        o.WriteLine($"total {Fmt.F(clock.Elapsed.TotalSeconds, 2)} s" + (outPath is null ? " (not saved: use --out MODEL)" : ""));
        return 0;
    }

    /// <summary><c>rfm fit --plan DIR</c>: the splits grown and one shard per leaf written, for <c>rfm fit-leaf</c> and
    /// <c>rfm assemble</c>.</summary>
    static int Plan(FitSettings s, RfmOptions options, Tabular train, TaskKind task, float[,] x, float[,]? xv, Tabular? val, string? valFile,
        string planDir, Stopwatch clock, TextWriter o)
    {
        var progress = new ProgressPrinter(o, task == TaskKind.Classification, 1);
        IReadOnlyList<string> shards;
        if (task == TaskKind.Classification)
            shards = train.Labels(s.Data, s.Target).Plan(new RfmClassifier(options), x, planDir, xv, val?.Target, valFile, train.Features, s.Target, progress);
        else
        {
            var y = train.Numbers(s.Data, s.Target);
            CommunityToolkit.HighPerformance.ReadOnlySpan2D<float> validation = xv is null ? default : xv;
            shards = new RfmRegressor(options).PlanTree(x, y, planDir, validation, val?.Numbers(valFile!, s.Target), train.Features, s.Target, progress);
        }
        o.WriteLine($"plan: {shards.Count} leaf shard(s) in {planDir}; fit each with 'rfm fit-leaf SHARD --out {Path.Combine(planDir, "NAME.rfmleaf")}' "
            + $"(any machine, any order, in parallel), then 'rfm assemble {planDir} --out MODEL'");
        o.WriteLine($"total {Fmt.F(clock.Elapsed.TotalSeconds, 2)} s");
        return 0;
    }

    /// <summary><c>rfm fit-leaf SHARD --out LEAF</c>.</summary>
    public static int FitLeaf(string shard, string output, TextWriter o)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(shard))
            throw new CliException($"{shard}: no such shard");
        RfmTreeJobs.FitLeaf(shard, output, new ProgressPrinter(o, classification: false, 1));
        o.WriteLine($"leaf written to {output} ({new FileInfo(output).Length} bytes); total {Fmt.F(clock.Elapsed.TotalSeconds, 2)} s");
        return 0;
    }

    /// <summary><c>rfm assemble DIR --out MODEL</c>.</summary>
    public static int Assemble(string directory, string output, TextWriter o)
    {
        if (!Directory.Exists(directory))
            throw new CliException($"{directory}: no such plan folder");
        var model = RfmTreeJobs.Assemble(directory);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        model.Save(output);
        string shape = model.Tree is { } t ? $"a tree of {t.Leaves.Count} RFMs (depth {t.Depth})" : "one RFM";
        o.WriteLine($"model: {shape}, {model.Centers} centers, {model.Features} features; saved to {output} ({new FileInfo(output).Length} bytes)");
        return 0;
    }

    /// <summary>A seeded train/test split of DATA, a fit on the training part (iteration chosen on a holdout of
    /// it, then refit) and test metrics: accuracy, or RMSE and R^2.</summary>
    public static int Eval(FitSettings s, double testFraction, TextWriter o)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new CliException($"--test-fraction must be in (0, 1), got {Fmt.G(testFraction)}");
        Check(s);
        var clock = Stopwatch.StartNew();
        var all = Tabular.From(CsvTable.Read(s.Data), s.Target);
        var task = all.Resolve(s.Task, out string why);
        int n = all.N;
        int nTest = (int)Math.Round(n * testFraction);
        if (nTest < 1 || nTest > n - 2)
            throw new CliException($"{s.Data}: {n} rows are too few for a {Fmt.G(100 * testFraction)} % test split");
        var (trainRows, testRows) = DataSplit.Random(n, testFraction, s.Seed);
        var train = all.Take(trainRows);
        var test = all.Take(testRows);
        var x = train.Matrix();
        var xt = test.Matrix();
        var options = s.Options(new RfmOptions().ValidationFraction, train);

        o.WriteLine($"data: {s.Data}  n={n} d={all.D}  target '{s.Target}'  task {Name(task)} ({why})");
        o.WriteLine($"split: {train.N} train / {test.N} test (seed {s.Seed}); fit: {Describe(s)}; " + (s.Iterations > 0 && train.N >= MinHoldoutRows
            ? $"iteration chosen on a {Fmt.G(100 * options.ValidationFraction)} % holdout of the training rows, then refit on them"
            : "no holdout (too few rows or no iterations): the last iteration is kept"));
        if (task == TaskKind.Classification)
        {
            var labels = train.Labels(s.Data, s.Target);
            var model = labels.Fit(new RfmClassifier(options), x, null, null, null, new ProgressPrinter(o, true, 1));
            History(o, model, classification: true);
            // A test row of a class the training split lacks counts as wrong.
            double acc = Metrics.Accuracy(labels.Normalized(test.Target), model.PredictLabels(xt));
            o.WriteLine($"test accuracy {Fmt.F(acc, 4)} (n_test={test.N}, {model.ClassNames.Count} classes)");
        }
        else
        {
            var y = train.Numbers(s.Data, s.Target);
            var yt = test.Numbers(s.Data, s.Target);
            var model = new RfmRegressor(options).Fit(x, y, progress: new ProgressPrinter(o, false, Sd(y)));
            History(o, model, classification: false);
            var pred = model.Predict(xt);
            o.WriteLine($"test RMSE {Fmt.G(Metrics.RootMeanSquaredError(yt, pred))}  R^2 {Fmt.F(Metrics.R2(yt, pred), 4)} (n_test={test.N})");
        }
        o.WriteLine($"total {Fmt.F(clock.Elapsed.TotalSeconds, 2)} s");
        return 0;
    }

    static void Check(FitSettings s)
    {
        if (!double.IsFinite(s.Reg) || s.Reg < 0)
            throw new CliException($"--reg must be a non-negative number, got {Fmt.G(s.Reg)}");
        if (!double.IsFinite(s.Bandwidth) || s.Bandwidth <= 0)
            throw new CliException($"--bandwidth must be positive, got {Fmt.G(s.Bandwidth)}");
        if (s.Iterations < 0)
            throw new CliException($"--iters must be non-negative, got {s.Iterations}");
        if (s.Threads < 0)
            throw new CliException($"--threads must be non-negative, got {s.Threads}");
        if (s.Tree.MaxLeafSize < 2)
            throw new CliException($"--max-leaf-size must be at least 2, got {s.Tree.MaxLeafSize}");
    }

    static string Name(TaskKind t) => t == TaskKind.Classification ? "classification" : "regression";

    static string Describe(FitSettings s) =>
        $"{s.Kernel} kernel, L = {Fmt.G(s.Bandwidth)}, reg = {Fmt.Reg(s.Reg)}, iterations 0..{s.Iterations}, numeric features {(s.Standardize ? "standardised" : "as given")}"
        + s.Tree.Mode switch
        {
            TreeMode.Never => ", one RFM (no tree)",
            TreeMode.Always => $", a tree of RFMs (leaves of at most {s.Tree.MaxLeafSize} rows, {s.Tree.SplitRule} splits, {s.Tree.Routing} routing)",
            _ => $", a tree of RFMs above {s.Tree.MaxLeafSize} rows ({s.Tree.SplitRule} splits, {s.Tree.Routing} routing)",
        };

    static string Preview(string[] classes) =>
        classes.Length <= 10 ? string.Join(", ", classes) : string.Join(", ", classes[..10]) + ", ...";

    /// <summary>The per-iteration summary table; the iteration the model uses is marked with *.</summary>
    static void History(TextWriter o, RfmModel model, bool classification)
    {
        double ySd = model is RfmRegressionModel { TargetScales.Count: > 0 } r ? r.TargetScales[0] : 1;
        if (model.Tree is { } tree)
        {
            LeafTable(o, tree, classification, ySd);
            o.WriteLine($"model: a tree of {tree.Leaves.Count} RFMs (depth {tree.Depth}, {(tree.Temperature > 0 ? $"soft routing, temperature {Fmt.G(tree.Temperature)}" : "hard routing")}), "
                + $"{model.Centers} centers, {model.Features} features, {model.Kernel} L = {Fmt.G(model.Bandwidth)}");
            return;
        }
        string scoreName = classification ? "val accuracy" : "val RMSE";
        var rows = new List<string[]>();
        foreach (var h in model.History)
        {
            string score = double.IsNaN(h.ValidationScore) ? "-"
                : classification ? Fmt.F(h.ValidationScore, 4) : Fmt.G(Math.Sqrt(h.ValidationScore) * ySd);
            string solve = h.Failure is not null ? $"failed: {h.Failure}"
                : h.Solve.Used.ToString() + (h.Solve.FellBack ? " (fallback)" : "") + (h.Solve.Refinements > 0 ? $", {h.Solve.Refinements} refinements" : "");
            rows.Add([h.Iteration == model.BestIteration ? $"{h.Iteration} *" : h.Iteration.ToString(), score, Fmt.F(h.Seconds, 3), solve]);
        }
        o.WriteLine();
        o.Write(Fmt.Markdown(["iteration", scoreName, "seconds", "solve"], rows, [true, true, true, false]));
        o.WriteLine($"model: iteration {model.BestIteration} (*), {model.Centers} centers, {model.Features} features, {model.Kernel} L = {Fmt.G(model.Bandwidth)}");
    }

    /// <summary>One line per leaf of a tree: its rows, the iteration it kept and that iteration's validation score.</summary>
    static void LeafTable(TextWriter o, RfmTree tree, bool classification, double ySd)
    {
        var rows = new List<string[]>();
        for (int k = 0; k < tree.Leaves.Count; k++)
        {
            var leaf = tree.Leaves[k];
            var kept = leaf.History.FirstOrDefault(h => h.Iteration == leaf.BestIteration);
            string score = double.IsNaN(kept.ValidationScore) ? "-"
                : classification ? Fmt.F(kept.ValidationScore, 4) : Fmt.G(Math.Sqrt(kept.ValidationScore) * ySd);
            string failed = leaf.History.FirstOrDefault(h => h.Failure is not null).Failure is { } f ? $"stopped: {f}" : "";
            rows.Add([k.ToString(System.Globalization.CultureInfo.InvariantCulture), leaf.Centers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                leaf.BestIteration.ToString(System.Globalization.CultureInfo.InvariantCulture), score, Fmt.F(leaf.History.Sum(h => h.Seconds), 2), failed]);
        }
        o.WriteLine();
        o.Write(Fmt.Markdown(["leaf", "rows", "iteration", classification ? "val accuracy" : "val RMSE", "seconds", "note"], rows, [true, true, true, true, true, false]));
    }

    /// <summary>The target's standard deviation (n - 1), for showing standardised validation errors in its units
    /// while the fit runs (the fitted model then reports the same scale).</summary>
    static double Sd(float[] y)
    {
        double m = y.Average(v => (double)v);
        double sd = y.Length > 1 ? Math.Sqrt(y.Sum(v => (v - m) * (v - m)) / (y.Length - 1)) : 0;
        return sd > 0 ? sd : 1;
    }
}

/// <summary>Prints every progress report of a fit as it happens (synchronously, unlike Progress&lt;T&gt;).</summary>
sealed class ProgressPrinter(TextWriter o, bool classification, double ySd) : IProgress<RfmProgress>
{
    public void Report(RfmProgress value)
    {
        string score = value.Phase != RfmPhase.Validate || double.IsNaN(value.ValidationScore) ? ""
            : classification ? $"val accuracy {Fmt.F(value.ValidationScore, 4)}" : $"val RMSE {Fmt.G(Math.Sqrt(value.ValidationScore) * ySd)}";
        if (value.Phase == RfmPhase.Split)
            o.WriteLine($"  split node {value.Node} ({value.Leaves} leaves in all)  {Fmt.F(value.Elapsed.TotalSeconds, 3)} s");
        else if (value.Phase == RfmPhase.Routing)
            o.WriteLine($"  routing temperature chosen (validation MSE {Fmt.G(value.ValidationScore)})");
        else
        {
            string leaf = value.Node >= 0 ? $"leaf {value.Node + 1}/{value.Leaves}  " : "";
            o.WriteLine($"  {leaf}iter {value.Iteration}  {value.Phase.ToString().ToLowerInvariant(),-8} {score,-22} {Fmt.F(value.Elapsed.TotalSeconds, 3)} s");
        }
        o.Flush();
    }
}
