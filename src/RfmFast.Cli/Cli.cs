using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace RfmFast.Cli;

/// <summary>The rfm command line: <c>uci</c>, <c>fit</c>, <c>eval</c>, <c>predict</c>, <c>plot</c>. Exit codes: 0 success, 1 bad input or a
/// failed fit (one line on stderr), 2 a usage error.</summary>
static partial class Cli
{
    public const int Ok = 0, InputError = 1, UsageError = 2, InternalError = 70;

    /// <summary>Parses and runs a command line, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build(stdout);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
                stderr.WriteLine($"rfm: {e.Message}");
            stderr.WriteLine("Run 'rfm --help' for usage.");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is CliException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or FormatException)
        {
            stdout.Flush();
            stderr.WriteLine($"rfm: {OneLine(e)}");
            return InputError;
        }
#pragma warning disable CA1031 // The last resort: no stack trace on the console, ever.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stdout.Flush();
            stderr.WriteLine($"rfm: internal error ({e.GetType().Name}): {OneLine(e)}");
            return InternalError;
        }
    }

    /// <summary>An exception's message on one line, without .NET's "(Parameter 'x')" and "Actual value was" parts.</summary>
    static string OneLine(Exception e)
    {
        string m = e.Message.Split('\n')[0].Trim();
        return ParameterSuffix().Replace(m, "");
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();

    static RootCommand Build(TextWriter stdout)
    {
        var root = new RootCommand("rfm: Recursive Feature Machines (RfmFast) on CSV files and on the UCI-121 benchmark folders.");
        root.Subcommands.Add(UciCommandLine(stdout));
        root.Subcommands.Add(PmlbCommandLine(stdout));
        root.Subcommands.Add(FitCommandLine(stdout, eval: false));
        root.Subcommands.Add(FitCommandLine(stdout, eval: true));
        root.Subcommands.Add(FitLeafCommandLine(stdout));
        root.Subcommands.Add(AssembleCommandLine(stdout));
        root.Subcommands.Add(PredictCommandLine(stdout));
        root.Subcommands.Add(PlotCommandLine(stdout));
        return root;
    }

    static Command UciCommandLine(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "A folder of UCI-121 dataset folders (<name>/<name>.txt, the data file, conxuntos.dat, conxuntos_kfold.dat), or one dataset folder." };
        var only = new Option<string[]>("--only") { Description = "Only these datasets (comma-separated or repeated).", AllowMultipleArgumentsPerToken = false };
        var maxN = new Option<int>("--max-n") { Description = "Skip datasets with more rows than this.", DefaultValueFactory = _ => int.MaxValue };
        var output = new Option<string?>("--out") { Description = "Write the results to OUT.md and OUT.json (a trailing .md or .json is dropped)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0: all processors).", DefaultValueFactory = _ => 0 };
        var verbose = new Option<bool>("--verbose") { Description = "Print the validation accuracy of every tuning setting." };
        var precision = new Option<string>("--precision") { Description = "float32 (default, fast) or float64 (the precision of the paper's scripts and of the oracle).", DefaultValueFactory = _ => "float32" };
        precision.AcceptOnlyFromAmong("float32", "float64");
        var maxLeaf = new Option<int?>("--max-leaf-size") { Description = "The tree variant for large datasets: where a split trains on more rows than this, every fit is a tree of RFMs with leaves of at most this many rows (each leaf choosing its iteration), tuned by the tree's validation accuracy. Default: the paper's protocol (one RFM) everywhere." };
        var cmd = new Command("uci", "The RFM paper's UCI protocol: Laplace kernel, L = 10, reg x row normalisation grid, iterations 0..4 chosen on the tuning split, test accuracy averaged over the 4 evaluation splits (M kept from the tuning split as in the paper, and RFM re-run per split); plain Laplace (iteration 0) alongside.")
        {
            dir, only, maxN, output, threads, verbose, precision, maxLeaf,
        };
        cmd.SetAction(p =>
        {
            string[] names = [.. (p.GetValue(only) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
            int n = p.GetValue(maxN);
            if (n < 1)
                throw new CliException($"--max-n must be positive, got {n}");
            int t = p.GetValue(threads);
            if (t < 0)
                throw new CliException($"--threads must be non-negative, got {t}");
            int? leaf = p.GetValue(maxLeaf);
            if (leaf < 2)
                throw new CliException($"--max-leaf-size must be at least 2, got {leaf}");
            var settings = new UciSettings { Threads = t, Precision = p.GetValue(precision) == "float64" ? FitPrecision.Float64 : FitPrecision.Float32, MaxLeafSize = leaf };
            return UciCommand.Run(p.GetValue(dir)!, names, n, p.GetValue(output), settings, p.GetValue(verbose), stdout, p.InvocationConfiguration.Error);
        });
        return cmd;
    }

    static Command PmlbCommandLine(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "A PMLB folder laid out like ../shared/data/pmlb (MANIFEST.tsv, NAME/NAME.tsv.gz with a last column 'target')." };
        var task = new Option<string>("--task") { Description = "regression (PMLB's real regression datasets) or classification (its classification datasets).", DefaultValueFactory = _ => "regression" };
        task.AcceptOnlyFromAmong("regression", "classification");
        var only = new Option<string[]>("--only") { Description = "Only these datasets (comma-separated or repeated).", AllowMultipleArgumentsPerToken = false };
        var maxN = new Option<int>("--max-n") { Description = "Skip datasets with more rows than this.", DefaultValueFactory = _ => int.MaxValue };
        var splits = new Option<int?>("--splits") { Description = "Seeded 80/20 train/test splits per dataset (stratified for classification); default 5 for regression, 1 for classification." };
        var seed = new Option<int>("--seed") { Description = "Split k shuffles with seed SEED + k.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write the results to OUT.md and OUT.json (a trailing .md or .json is dropped)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0: all processors).", DefaultValueFactory = _ => 0 };
        var verbose = new Option<bool>("--verbose") { Description = "Print the validation score (MSE or accuracy) of every tuning setting." };
        var maxTune = new Option<int>("--max-tune-rows") { Description = "Tuning fits use at most this many rows (and half as many validation rows); the final fit uses the whole training part.", DefaultValueFactory = _ => 5000 };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Classification: do not fit and score the plain Laplace kernel (its final fit on the large sets costs time)." };
        var cmd = new Command("pmlb", "PMLB benchmark, RFM next to the plain Laplace kernel (iteration 0). Regression (default): PMLB's real regression datasets, seeded 80/20 splits, " +
            "Laplace bandwidth x reg x iterations 0..4 chosen by MSE on an inner validation split, test RMSE and R^2. --task classification: PMLB's classification datasets, " +
            "seeded stratified 80/20 splits, features standardised by the library, L in {1, 10} x reg in {0.001, 0.1} x iterations 0..4 chosen by accuracy on a stratified " +
            "inner 80/20 split of the training part (tuning fits capped by --max-tune-rows), the final fit on the whole training part (a tree of RFMs when it has more than " +
            $"{TreeOptions.DefaultMaxLeafSize} rows), test accuracy, fit and predict seconds.")
        {
            dir, task, only, maxN, splits, seed, output, threads, verbose, maxTune, noBaseline,
        };
        cmd.SetAction(p =>
        {
            bool classification = p.GetValue(task) == "classification";
            string[] names = [.. (p.GetValue(only) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
            int n = p.GetValue(maxN);
            if (n < 1)
                throw new CliException($"--max-n must be positive, got {n}");
            var defaults = classification ? PmlbSettings.ForClassification() : new PmlbSettings();
            int k = p.GetValue(splits) ?? defaults.Splits;
            if (k < 1)
                throw new CliException($"--splits must be positive, got {k}");
            int t = p.GetValue(threads);
            if (t < 0)
                throw new CliException($"--threads must be non-negative, got {t}");
            int tuneRows = p.GetValue(maxTune);
            if (tuneRows < 2)
                throw new CliException($"--max-tune-rows must be at least 2, got {tuneRows}");
            if (p.GetValue(noBaseline) && !classification)
                throw new CliException("--no-baseline applies to --task classification only");
            var settings = defaults with { Splits = k, Seed = p.GetValue(seed), Threads = t, MaxTuneRows = tuneRows, Baseline = !p.GetValue(noBaseline) };
            return PmlbCommand.Run(p.GetValue(dir)!, names, n, p.GetValue(output), settings, p.GetValue(verbose), stdout, p.InvocationConfiguration.Error);
        });
        return cmd;
    }

    static Command PlotCommandLine(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "A model file written by 'rfm fit --out'." };
        var output = new Option<string>("--out") { Description = "The folder for importances.png, metric.png and validation.png.", Required = true };
        var cmd = new Command("plot", "PNG pictures of a saved model: AGOP feature importances, the feature matrix M, the validation curve.")
        {
            model, output,
        };
        cmd.SetAction(p => PlotCommand.Run(p.GetValue(model)!, p.GetValue(output)!, stdout, p.InvocationConfiguration.Error));
        return cmd;
    }

    static Command FitLeafCommandLine(TextWriter stdout)
    {
        var shard = new Argument<string>("SHARD") { Description = "A leaf shard written by 'rfm fit --plan DIR'." };
        var output = new Option<string>("--out") { Description = "The fitted leaf to write (NAME.rfmleaf in the plan folder, for 'rfm assemble' to find it).", Required = true };
        var cmd = new Command("fit-leaf", "Fit the RFM of one leaf shard of a tree plan: a self-contained job for a job engine.")
        {
            shard, output,
        };
        cmd.SetAction(p => FitCommands.FitLeaf(p.GetValue(shard)!, p.GetValue(output)!, stdout));
        return cmd;
    }

    static Command AssembleCommandLine(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "A plan folder written by 'rfm fit --plan DIR', holding one fitted .rfmleaf file per leaf." };
        var output = new Option<string>("--out") { Description = "The model file to write.", Required = true };
        var cmd = new Command("assemble", "Join the fitted leaves of a tree plan into a model file for 'rfm predict'.")
        {
            dir, output,
        };
        cmd.SetAction(p => FitCommands.Assemble(p.GetValue(dir)!, p.GetValue(output)!, stdout));
        return cmd;
    }

    static Command PredictCommandLine(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "A model file written by 'rfm fit --out'." };
        var data = new Argument<string>("DATA") { Description = "A CSV (or TSV) file with the model's feature columns (by name, any order; other columns are ignored)." };
        var proba = new Option<bool>("--proba") { Description = "Write one probability column per class (classification models)." };
        var output = new Option<string>("--out") { Description = "The CSV file to write.", Required = true };
        var cmd = new Command("predict", "Predict with a saved model: one 'prediction' column, or class probabilities with --proba.")
        {
            model, data, proba, output,
        };
        cmd.SetAction(p => PredictCommand.Run(p.GetValue(model)!, p.GetValue(data)!, p.GetValue(proba), p.GetValue(output)!, stdout));
        return cmd;
    }

    static Command FitCommandLine(TextWriter stdout, bool eval)
    {
        var data = new Argument<string>("DATA") { Description = "A CSV (or TSV, semicolon- or pipe-separated) file with a header row; every column but the target must be numeric." };
        var target = new Option<string>("--target") { Description = "The target column's name.", Required = true };
        var task = new Option<string>("--task") { Description = "classification, regression, or auto (classification when the target is non-numeric or has at most 20 distinct integer values).", DefaultValueFactory = _ => "auto" };
        task.AcceptOnlyFromAmong("auto", "classification", "regression");
        var reg = new Option<double>("--reg") { Description = "Ridge regularisation.", DefaultValueFactory = _ => 1e-3 };
        var bandwidth = new Option<double>("--bandwidth") { Description = "Kernel bandwidth L.", DefaultValueFactory = _ => 10 };
        var iters = new Option<int>("--iters") { Description = "AGOP iterations: iterations 0..T are fitted.", DefaultValueFactory = _ => 5 };
        var kernel = new Option<string>("--kernel") { Description = "laplace or gaussian.", DefaultValueFactory = _ => "laplace" };
        kernel.AcceptOnlyFromAmong("laplace", "gaussian");
        var seed = new Option<int>("--seed") { Description = "Seed of the holdout and split choices.", DefaultValueFactory = _ => 0 };
        var noStd = new Option<bool>("--no-standardize") { Description = "Use the features as given (default: standardise each column with the training rows' mean and standard deviation)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0: all processors).", DefaultValueFactory = _ => 0 };
        var val = new Option<string?>("--val") { Description = "A validation CSV with the same columns: the iteration is chosen on it." };
        var valFraction = new Option<double?>("--val-fraction") { Description = "Without --val: the seeded fraction of rows held out to choose the iteration, then the model is refit on all rows (default 0.2; 0 keeps the last iteration)." };
        var outModel = new Option<string?>("--out") { Description = "Save the fitted model (with its column names and standardisation) to this file." };
        var plan = new Option<string?>("--plan") { Description = "Instead of fitting, grow the tree's splits and write one job per leaf into this folder (a plan and shard-NNNN.rfmshard files): fit them with 'rfm fit-leaf' anywhere, then join them with 'rfm assemble'." };
        var testFraction = new Option<double>("--test-fraction") { Description = "The seeded fraction of rows held out as the test set.", DefaultValueFactory = _ => 0.2 };
        var tree = new Option<string>("--tree") { Description = "auto (a tree of RFMs when the data has more rows than --max-leaf-size), always, or never (one RFM over every row).", DefaultValueFactory = _ => "auto" };
        tree.AcceptOnlyFromAmong("auto", "always", "never");
        var maxLeaf = new Option<int>("--max-leaf-size") { Description = "The most rows a leaf of the tree holds.", DefaultValueFactory = _ => TreeOptions.DefaultMaxLeafSize };
        var split = new Option<string>("--split") { Description = "How a tree node picks its split direction: agop (the top AGOP direction of a subset RFM), pca, or random.", DefaultValueFactory = _ => "agop" };
        split.AcceptOnlyFromAmong("agop", "pca", "random");
        var routing = new Option<string>("--routing") { Description = "hard (one leaf per row) or soft (sigmoid gates, temperature chosen on validation rows).", DefaultValueFactory = _ => "hard" };
        routing.AcceptOnlyFromAmong("hard", "soft");

        var cmd = eval
            ? new Command("eval", "Seeded train/test split of a CSV file, an RFM fit on the training part, test accuracy (classification) or RMSE and R^2 (regression).")
            : new Command("fit", "Fit an RFM on a CSV file and report every iteration (phase, validation score, time); --out saves the model for 'rfm predict'.");
        cmd.Arguments.Add(data);
        foreach (var o in new Option[] { target, task, reg, bandwidth, iters, kernel, seed, noStd, threads, tree, maxLeaf, split, routing })
            cmd.Options.Add(o);
        if (eval)
            cmd.Options.Add(testFraction);
        else
        {
            cmd.Options.Add(val);
            cmd.Options.Add(valFraction);
            cmd.Options.Add(outModel);
            cmd.Options.Add(plan);
        }
        cmd.SetAction(p =>
        {
            var s = new FitSettings
            {
                Data = p.GetValue(data)!,
                Target = p.GetValue(target)!,
                Task = p.GetValue(task) switch { "classification" => TaskKind.Classification, "regression" => TaskKind.Regression, _ => TaskKind.Auto },
                Reg = p.GetValue(reg),
                Bandwidth = p.GetValue(bandwidth),
                Iterations = p.GetValue(iters),
                Kernel = p.GetValue(kernel) == "gaussian" ? RfmKernel.Gaussian : RfmKernel.Laplace,
                Seed = p.GetValue(seed),
                Standardize = !p.GetValue(noStd),
                Threads = p.GetValue(threads),
                Tree = new TreeOptions
                {
                    Mode = p.GetValue(tree) switch { "always" => TreeMode.Always, "never" => TreeMode.Never, _ => TreeMode.Auto },
                    MaxLeafSize = p.GetValue(maxLeaf),
                    SplitRule = p.GetValue(split) switch { "pca" => SplitRule.Pca, "random" => SplitRule.Random, _ => SplitRule.Agop },
                    Routing = p.GetValue(routing) == "soft" ? TreeRouting.Soft : TreeRouting.Hard,
                },
            };
            return eval
                ? FitCommands.Eval(s, p.GetValue(testFraction), stdout)
                : FitCommands.Fit(s, p.GetValue(val), p.GetValue(valFraction), p.GetValue(outModel), stdout, p.GetValue(plan));
        });
        return cmd;
    }
}
