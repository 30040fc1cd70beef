using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RfmFast.Cli;

/// <summary><c>rfm pmlb DIR --task classification</c>: the classification protocol of
/// <see cref="PmlbClassificationProtocol"/> on the classification datasets of a PMLB folder, RFM next to the plain
/// Laplace kernel, as a Markdown table and optionally OUT.md / OUT.json.</summary>
static class PmlbClassificationCommand
{
    public static int Run(string dir, string[] only, int maxN, string? outPrefix, PmlbSettings settings, bool verbose,
        TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        var sets = PmlbCommand.Only(PmlbDataset.Classification(dir), only, dir, "classification");
        string? prefix = outPrefix is null ? null : PmlbCommand.OutPrefix(outPrefix);

        stdout.WriteLine($"rfm pmlb: {sets.Count} classification dataset(s) in {dir}");
        stdout.WriteLine($"  {Protocol(settings)}");
        var results = new List<PmlbClassificationResult>();
        int failed = 0, skipped = 0;
        for (int k = 0; k < sets.Count; k++)
        {
            var (name, n) = sets[k];
            string tag = $"[{k + 1}/{sets.Count}] {name}";
            if (n > maxN)
            {
                stdout.WriteLine($"{tag}: skipped (n = {n} > --max-n {maxN})");
                skipped++;
                continue;
            }
            try
            {
                var ds = PmlbDataset.Load(dir, name);
                stdout.WriteLine($"{tag}: n={ds.N} d={ds.D} classes={ds.IntLabels().Distinct().Count()} ...");
                stdout.Flush();
                var r = PmlbClassificationProtocol.Run(ds, settings, verbose ? line => { stdout.WriteLine(line); stdout.Flush(); } : null);
                results.Add(r);
                var best = r.Rfm[0];
                stdout.WriteLine($"{tag}: RFM {Fmt.Pct(r.RfmAccuracy)} % (L {Fmt.G(best.Bandwidth)}, reg {Fmt.Reg(best.Reg)}, iter {best.Iteration}" +
                    (r.Rfm.Length > 1 ? " on split 0" : "") + ")" +
                    (r.Laplace is null ? "" : $"  Laplace {Fmt.Pct(r.LaplaceAccuracy)} %") +
                    $"  {ModelKind(r.Rfm)}, fit {Fmt.F(r.Rfm.Average(s => s.FitSeconds), 1)} s, predict {Fmt.F(r.Rfm.Average(s => s.PredictSeconds), 2)} s" +
                    $"  {Fmt.F(r.Seconds, 1)} s" +
                    (r.Failures.Length > 0 ? $"  [{r.Failures.Length} fit(s) stopped early]" : ""));
                stdout.Flush();
            }
#pragma warning disable CA1031 // One dataset's failure must not stop the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                stdout.Flush();
                stderr.WriteLine($"rfm: {name}: {(e is CliException ? "" : e.GetType().Name + ": ")}{e.Message.Split('\n')[0]}");
                failed++;
            }
            // Outside the try: a failure to write the files is not the dataset's failure.
            if (prefix is not null && k + 1 < sets.Count)
                ResultFiles.Write(prefix, Markdown(dir, settings, results, Table(results), clock.Elapsed.TotalSeconds)
                    + ResultFiles.InProgress(k + 1, sets.Count), Json(results));
        }

        stdout.WriteLine();
        string table = Table(results);
        stdout.Write(table);
        stdout.WriteLine();
        double wall = clock.Elapsed.TotalSeconds;
        stdout.WriteLine($"{results.Count} dataset(s) done, {skipped} skipped, {failed} failed; wall time {Fmt.F(wall, 1)} s");
        if (prefix is not null)
        {
            ResultFiles.Write(prefix, Markdown(dir, settings, results, table, wall), Json(results));
            stdout.WriteLine($"wrote {prefix}.md and {prefix}.json");
        }
        return failed > 0 ? 1 : 0;
    }

    /// <summary>The protocol in one line (the command's second line of output).</summary>
    static string Protocol(PmlbSettings s) =>
        $"{s.Splits} seeded stratified {Fmt.G(100 * (1 - s.TestFraction))}/{Fmt.G(100 * s.TestFraction)} split(s); features standardised; Laplace kernel, " +
        $"L in {{{string.Join(", ", s.Bandwidths.Select(Fmt.G))}}} x reg in {{{string.Join(", ", s.Regs.Select(Fmt.Reg))}}}, iterations 0..{s.Iterations}, " +
        $"chosen by accuracy on a seeded stratified {Fmt.G(100 * s.ValidationFraction)} % of each training part (tuning fits on at most {s.MaxTuneRows} rows); " +
        $"final fit on the whole training part (a tree of RFMs above {s.Tree.MaxLeafSize} rows)" +
        (s.Baseline ? "" : "; no Laplace baseline");

    /// <summary>"one RFM" or "tree, K leaves" (per split when the splits differ).</summary>
    static string ModelKind(PmlbClassificationSplit[] splits) =>
        string.Join(" / ", splits.Select(s => s.IsTree ? $"tree, {s.Leaves} leaves" : "one RFM").Distinct());

    /// <summary>The per-dataset table: mean test accuracy over the splits, the settings each split chose, the final
    /// model's kind and times, and a last row with the means over datasets and how often RFM beats Laplace.</summary>
    public static string Table(IReadOnlyList<PmlbClassificationResult> results)
    {
        string[] header = ["dataset", "n", "d", "classes", "RFM acc %", "Laplace acc %", "RFM L / reg / iter per split", "Laplace L / reg per split",
            "RFM model", "tune s", "RFM fit s", "RFM predict s", "Laplace fit s", "seconds"];
        bool[] right = [false, true, true, true, true, true, false, false, false, true, true, true, true, true];
        static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var rows = results.Select(r => new[]
        {
            r.Dataset, I(r.N), I(r.D), I(r.Classes),
            Fmt.Pct(r.RfmAccuracy), Fmt.Pct(r.LaplaceAccuracy),
            string.Join(", ", r.Rfm.Select(s => $"{Fmt.G(s.Bandwidth)}/{Fmt.Reg(s.Reg)}/{s.Iteration}")),
            r.Laplace is null ? "-" : string.Join(", ", r.Laplace.Select(s => $"{Fmt.G(s.Bandwidth)}/{Fmt.Reg(s.Reg)}")),
            ModelKind(r.Rfm),
            Fmt.F(r.TuneSeconds, 1),
            Fmt.F(r.Rfm.Average(s => s.FitSeconds), 1),
            Fmt.F(r.Rfm.Average(s => s.PredictSeconds), 2),
            r.Laplace is null ? "-" : Fmt.F(r.Laplace.Average(s => s.FitSeconds), 1),
            Fmt.F(r.Seconds, 1),
        }).ToList();
        if (results.Count > 0)
        {
            var withBaseline = results.Where(r => r.Laplace is not null).ToList();
            string wins = withBaseline.Count == 0 ? ""
                : $"RFM higher on {withBaseline.Count(r => r.RfmAccuracy > r.LaplaceAccuracy)} of {withBaseline.Count}";
            string Mean(Func<PmlbClassificationResult, double> f, IReadOnlyList<PmlbClassificationResult> of, int digits) =>
                of.Count == 0 ? "-" : Fmt.F(of.Average(f), digits);
            rows.Add([$"mean ({results.Count})", "", "", "",
                Mean(r => 100 * r.RfmAccuracy, results, 2), Mean(r => 100 * r.LaplaceAccuracy, withBaseline, 2) + (withBaseline.Count < results.Count && withBaseline.Count > 0 ? $" ({withBaseline.Count})" : ""),
                wins, "", "",
                Mean(r => r.TuneSeconds, results, 1), Mean(r => r.Rfm.Average(s => s.FitSeconds), results, 1),
                Mean(r => r.Rfm.Average(s => s.PredictSeconds), results, 2), Mean(r => r.Laplace!.Average(s => s.FitSeconds), withBaseline, 1),
                Mean(r => r.Seconds, results, 1)]);
        }
        return Fmt.Markdown(header, rows, right);
    }

    static string Markdown(string dir, PmlbSettings s, IReadOnlyList<PmlbClassificationResult> results, string table, double wall)
    {
        var sb = new StringBuilder();
        sb.Append("# rfm pmlb classification results\n\n");
        sb.Append($"Data: `{dir}`, its classification datasets (task = classification in `MANIFEST.tsv`; labels are the files' integer class codes). ");
        sb.Append($"For each of {s.Splits} seeded stratified split(s) (seed {s.Seed} + split), {Fmt.G(100 * s.TestFraction)} % of each class's rows are the test set. ");
        sb.Append("Every fit standardises the features itself (the library's `Preprocessing.Standardize`, with its own training rows' means and deviations). ");
        sb.Append($"Tuning uses the training part only: a seeded stratified {Fmt.G(100 * s.ValidationFraction)} % of it is held out, and RFM (Laplace kernel, ");
        sb.Append("M = the mean AGOP over all fitting rows, normalised to mean diagonal 1, one RFM per fit) is fitted on the rest ");
        sb.Append($"(at most {s.MaxTuneRows} of its rows and {Math.Max(1, s.MaxTuneRows / 2)} validation rows, seeded stratified subsets that keep a row of every class) ");
        sb.Append($"for every L in {{{string.Join(", ", s.Bandwidths.Select(Fmt.G))}}} x reg in {{{string.Join(", ", s.Regs.Select(Fmt.Reg))}}}, ");
        sb.Append($"iterations 0..{s.Iterations} scored by validation accuracy. *RFM* takes the best (L, reg, iteration)");
        sb.Append(s.Baseline ? ", *Laplace* the best (L, reg) at iteration 0" : "");
        sb.Append(" (a strictly higher accuracy wins, so the earliest in grid order on ties). ");
        sb.Append(s.Baseline ? "Each is" : "It is");
        sb.Append(" refitted on the whole training part with the chosen settings (RFM for the chosen number of iterations, keeping the last M) ");
        sb.Append($"with the library's default tree: a training part of more than {s.Tree.MaxLeafSize} rows becomes a tree of RFMs ");
        sb.Append("(*RFM model*: one RFM, or a tree and its leaf count), and scored on the test rows");
        sb.Append(s.Baseline ? " (when RFM chose iteration 0 of the baseline's own L and reg, the two final fits are the same fit, and the baseline reuses RFM's). " : ". ");
        sb.Append("Accuracies, fit and predict seconds ");
        sb.Append("(the final fit on the training part, the prediction of the test rows) are means over the splits; *tune s* is the tuning grid's time, ");
        sb.Append("*seconds* the dataset's total. The last row holds the means over datasets. ");
        sb.Append(s.Baseline ? "" : "The Laplace baseline was not run (`--no-baseline`). ");
        sb.Append($"Every fit computes in {(s.Precision == FitPrecision.Float64 ? "float64" : "float32")}.\n\n");
        sb.Append(table);
        sb.Append($"\nWall time {Fmt.F(wall, 1)} s on {Environment.ProcessorCount} logical processors (SIMD tier {RfmFast.Core.Isa.Best}).\n");
        var failures = results.SelectMany(r => r.Failures.Select(f => $"- {r.Dataset}, {f}\n")).ToArray();
        if (failures.Length > 0)
        {
            sb.Append("\nFits that stopped early (a tuning setting's later iterations are never chosen; a final fit keeps its last good iteration):\n\n");
            foreach (var f in failures)
                sb.Append(f);
        }
        return sb.ToString();
    }

    static string Json(IReadOnlyList<PmlbClassificationResult> results)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("dataset", r.Dataset);
                w.WriteNumber("n", r.N);
                w.WriteNumber("d", r.D);
                w.WriteNumber("classes", r.Classes);
                w.WriteNumber("rfm_test_accuracy", r.RfmAccuracy);
                PmlbCommand.Number(w, "laplace_test_accuracy", r.LaplaceAccuracy);
                Splits(w, "rfm_splits", r.Rfm);
                if (r.Laplace is null)
                    w.WriteNull("laplace_splits");
                else
                    Splits(w, "laplace_splits", r.Laplace);
                w.WriteNumber("tune_seconds", r.TuneSeconds);
                w.WriteNumber("seconds", r.Seconds);
                w.WriteStartArray("failures");
                foreach (var f in r.Failures)
                    w.WriteStringValue(f);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    static void Splits(Utf8JsonWriter w, string name, PmlbClassificationSplit[] splits)
    {
        w.WriteStartArray(name);
        foreach (var s in splits)
        {
            w.WriteStartObject();
            w.WriteNumber("accuracy", s.Accuracy);
            w.WriteNumber("bandwidth", s.Bandwidth);
            w.WriteNumber("reg", s.Reg);
            w.WriteNumber("iteration", s.Iteration);
            PmlbCommand.Number(w, "validation_accuracy", s.ValidationAccuracy);
            w.WriteNumber("fit_seconds", s.FitSeconds);
            w.WriteNumber("predict_seconds", s.PredictSeconds);
            w.WriteBoolean("tree", s.IsTree);
            w.WriteNumber("leaves", s.Leaves);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
