using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace RfmFast.Tabular;

/// <summary>bench/compare.sh tabular: RfmFast vs LightGBM (ML.NET) on PMLB's classification sets. Progress goes to
/// stderr; the header and the Markdown table to stdout (and to --out).</summary>
internal static class Program
{
    const double TestFraction = 0.2;

    static int Main(string[] argv)
    {
        TabularArgs args;
        List<PmlbEntry> sets;
        string dataDir;
        try
        {
            args = TabularArgs.Parse(argv);
            dataDir = PmlbManifest.DataDir(args.DataDir);
            sets = PmlbManifest.Select(PmlbManifest.Classification(dataDir), args.Sets, args.Quick);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var head = new StringBuilder();
        head.AppendLine(CultureInfo.InvariantCulture, $"# RfmFast vs LightGBM (ML.NET), PMLB classification, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        head.AppendLine();
        head.AppendLine(MachineInfo.Describe());
        string? commit = null;
        try { commit = MachineInfo.Commit(PmlbManifest.RepoRoot()); } catch (DirectoryNotFoundException) { }
        head.AppendLine(CultureInfo.InvariantCulture, $"code: {commit ?? "unknown (no git repo)"}; data: {dataDir}");
        head.AppendLine(CultureInfo.InvariantCulture,
            $"split: DataSplit.Stratified(labels, {TestFraction}, seed {args.Seed}), the same train/test rows for every side; " +
            $"RfmFast: {RfmSide.Description}, {(args.RfmMaxRows == int.MaxValue ? "no limit on the training rows" : $"skipped where the training part has more than {args.RfmMaxRows} rows")}");
        head.AppendLine(CultureInfo.InvariantCulture,
            $"LightGBM: ML.NET MulticlassClassification LightGbm, 2 threads, seed {args.Seed}; default = ML.NET's defaults ({LightGbmSide.Defaults.Iterations} iterations); " +
            $"tuned = best of {LightGbmSide.Grid(args.Quick).Length} configurations (leaves/rate/iters: {string.Join(", ", (object[])LightGbmSide.Grid(args.Quick))}) " +
            $"on a seeded stratified 80/20 split of the training part, refit on the whole training part");
        head.AppendLine(CultureInfo.InvariantCulture, $"sets: {sets.Count}{(args.Quick ? " (--quick)" : "")}; accuracy on the test part; times are wall clock, after one untimed warm-up fit per side");
        head.AppendLine();
        Console.Write(head.ToString());

        var results = new List<SetResult>();
        bool warm = false;
        foreach (var set in sets)
        {
            var clock = Stopwatch.StartNew();
            var data = TabularData.Load(dataDir, set.Name);
            var split = SplitData.Make(data.X, data.Labels, data.ClassIndex, data.Classes, TestFraction, args.Seed);
            Console.Error.WriteLine($"{set.Name}: {data.Rows} x {data.Features}, {data.Classes} classes, train {split.TrainRows}, test {split.LabelsTest.Length} (loaded in {clock.Elapsed.TotalSeconds:0.0} s)");
            if (!warm)
            {
                RfmSide.WarmUp(split, args.Seed);
                var (_, few) = DataSplit.Stratified(split.LabelsTrain, Math.Min(0.5, 300.0 / split.TrainRows), args.Seed);
                LightGbmSide.Run(DataSplit.Rows(split.XTrain, few), DataSplit.Rows(split.ClassTrain, few), split.XTest, split.ClassTest, LightGbmSide.Defaults, args.Seed);
                warm = true;
            }
            var rfm = Guard("RfmFast", set.Name, () => RfmSide.Run(split, args.Seed, args.RfmMaxRows));
            var lgbm = Guard("LightGBM default", set.Name,
                () => LightGbmSide.Run(split.XTrain, split.ClassTrain, split.XTest, split.ClassTest, LightGbmSide.Defaults, args.Seed));
            var tuned = Guard("LightGBM tuned", set.Name, () => LightGbmSide.RunTuned(split, args.Quick, args.Seed));
            var result = new SetResult(set, data.Rows, data.Features, data.Classes, rfm, lgbm, tuned);
            results.Add(result);
            Console.Error.WriteLine($"  {ResultTable.Row(result)}");
        }

        string table = ResultTable.Render(results) + $"load average at the end: {MachineInfo.LoadAverage()}\n";
        Console.Write(table);
        if (args.OutFile is not null)
            File.WriteAllText(args.OutFile, head + table);
        return 0;
    }

    /// <summary>Runs one side; a failure (out of memory, a fit that cannot be done) becomes a table cell, not a crash.</summary>
    static SideResult Guard(string side, string set, Func<SideResult> run)
    {
        try
        {
            var r = run();
            if (r.Ran)
                Console.Error.WriteLine($"  {side}: {100 * r.Accuracy:0.00} %, fit {r.FitSeconds:0.00} s, predict {r.PredictSeconds:0.00} s{(r.Note is null ? "" : $" ({r.Note})")}");
            else
                Console.Error.WriteLine($"  {side}: {r.Note}");
            return r;
        }
        catch (Exception e) when (e is OutOfMemoryException or InvalidOperationException or ArgumentException or InsufficientExecutionStackException)
        {
            Console.Error.WriteLine($"  {side} on {set} failed: {e.GetType().Name}: {e.Message}");
            return SideResult.Missing($"failed: {e.GetType().Name}");
        }
    }
}
