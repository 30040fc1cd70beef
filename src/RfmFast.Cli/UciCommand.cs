using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RfmFast.Cli;

/// <summary><c>rfm uci DIR</c>: the RFM paper's UCI protocol on every dataset folder under DIR, with a
/// per-dataset progress line, a Markdown table of RFM vs plain Laplace test accuracy, and optionally
/// RESULTS.md / RESULTS.json.</summary>
static class UciCommand
{
    public static int Run(string dir, string[] only, int maxN, string? outPrefix, UciSettings settings, bool verbose,
        TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        var folders = UciDataset.Find(dir);
        if (only.Length > 0)
        {
            var names = folders.ToDictionary(f => Path.GetFileName(f), f => f, StringComparer.Ordinal);
            var missing = only.Where(n => !names.ContainsKey(n)).ToArray();
            if (missing.Length > 0)
                throw new CliException($"{dir}: no dataset named {string.Join(", ", missing.Select(m => $"'{m}'"))}");
            folders = [.. only.Distinct(StringComparer.Ordinal).Select(n => names[n])];
        }
        string? prefix = outPrefix is null ? null : PmlbCommand.OutPrefix(outPrefix);

        stdout.WriteLine($"rfm uci: {folders.Count} dataset(s) in {dir}");
        stdout.WriteLine($"  Laplace kernel, L = {Fmt.G(settings.Bandwidth)}, reg in {{{string.Join(", ", settings.Regs.Select(Fmt.Reg))}}} x row normalisation on/off, " +
            $"iterations 0..{settings.Iterations} scored on the tuning split; test accuracy = mean over the 4 evaluation splits");
        var results = new List<UciResult>();
        int failed = 0, skipped = 0;
        for (int k = 0; k < folders.Count; k++)
        {
            string name = Path.GetFileName(folders[k]);
            string tag = $"[{k + 1}/{folders.Count}] {name}";
            try
            {
                var meta = UciDataset.ReadMeta(folders[k]);
                int n = UciDataset.MetaInt(meta, "n_patrons1", folders[k]);
                if (n > maxN)
                {
                    stdout.WriteLine($"{tag}: skipped (n = {n} > --max-n {maxN})");
                    skipped++;
                    continue;
                }
                var ds = UciDataset.Load(folders[k]);
                stdout.WriteLine($"{tag}: n={ds.N} d={ds.D} classes={ds.Classes}, tuning {settings.Regs.Length * (name == "balance-scale" ? 1 : 2)} settings ...");
                stdout.Flush();
                var r = UciProtocol.Run(ds, settings, verbose ? line => { stdout.WriteLine(line); stdout.Flush(); } : null);
                results.Add(r);
                int broken = r.Tuning.Count(t => t.Failure is not null);
                stdout.WriteLine($"{tag}: RFM {Fmt.Pct(r.RfmTestAccuracy)} % (re-run {Fmt.Pct(r.RfmRerunTestAccuracy)} %; reg {Fmt.Reg(r.RfmReg)}, norm {Fmt.OnOff(r.RfmNormalize)}, iter {(r.RfmIteration < 0 ? "per leaf" : r.RfmIteration)})" +
                    $"  Laplace {Fmt.Pct(r.LaplaceTestAccuracy)} % (reg {Fmt.Reg(r.LaplaceReg)}, norm {Fmt.OnOff(r.LaplaceNormalize)})  {Fmt.F(r.Seconds, 1)} s" +
                    (broken > 0 ? $"  [{broken} tuning setting(s) stopped early: a later iteration could not be fitted]" : ""));
                stdout.Flush();
            }
#pragma warning disable CA1031 // One dataset's failure (bad files, a fit that broke down) must not stop the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                stdout.Flush();
                stderr.WriteLine($"rfm: {name}: {(e is CliException ? "" : e.GetType().Name + ": ")}{e.Message.Split('\n')[0]}");
                failed++;
            }
            // Outside the try: a failure to write the files is not the dataset's failure.
            if (prefix is not null && k + 1 < folders.Count)
                ResultFiles.Write(prefix, Markdown(dir, settings, results, Table(results), clock.Elapsed.TotalSeconds)
                    + ResultFiles.InProgress(k + 1, folders.Count), Json(results));
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

    /// <summary>The per-dataset table with a mean row.</summary>
    public static string Table(IReadOnlyList<UciResult> results)
    {
        string[] header = ["dataset", "n", "d", "classes", "RFM test acc %", "RFM re-run %", "Laplace test acc %", "RFM reg / norm / iter", "Laplace reg / norm", "seconds"];
        bool[] right = [false, true, true, true, true, true, true, false, false, true];
        var rows = results.Select(r => new[]
        {
            r.Dataset, r.N.ToString(), r.D.ToString(), r.Classes.ToString(), Fmt.Pct(r.RfmTestAccuracy), Fmt.Pct(r.RfmRerunTestAccuracy), Fmt.Pct(r.LaplaceTestAccuracy),
            $"{Fmt.Reg(r.RfmReg)} / {Fmt.OnOff(r.RfmNormalize)} / {(r.RfmIteration < 0 ? "tree" : r.RfmIteration)}", $"{Fmt.Reg(r.LaplaceReg)} / {Fmt.OnOff(r.LaplaceNormalize)}",
            Fmt.F(r.Seconds, 1),
        }).ToList();
        if (results.Count > 0)
        {
            rows.Add([$"mean ({results.Count})", "", "", "", Fmt.Pct(results.Average(r => r.RfmTestAccuracy)), Fmt.Pct(results.Average(r => r.RfmRerunTestAccuracy)),
                Fmt.Pct(results.Average(r => r.LaplaceTestAccuracy)), "", "", Fmt.F(results.Sum(r => r.Seconds), 1)]);
        }
        return Fmt.Markdown(header, rows, right);
    }

    static string Markdown(string dir, UciSettings s, IReadOnlyList<UciResult> results, string table, double wall)
    {
        var sb = new StringBuilder();
        sb.Append("# rfm uci results\n\n");
        sb.Append($"Data: `{dir}`. Protocol: the RFM paper's UCI script. Laplace kernel, L = {Fmt.G(s.Bandwidth)}; ");
        sb.Append($"reg in {{{string.Join(", ", s.Regs.Select(Fmt.Reg))}}} x row normalisation on/off (off only for balance-scale); ");
        sb.Append($"iterations 0..{s.Iterations} (0 = plain kernel), M = the mean AGOP over all training points. ");
        sb.Append("The setting (reg, normalisation, iteration) with the best validation accuracy on `conxuntos.dat` wins ");
        sb.Append("(strictly greater, so the earliest on ties); test accuracy is the mean over the 4 splits of `conxuntos_kfold.dat`. ");
        sb.Append("*RFM*: as in the paper's script, the M learned on the tuning split is kept and only the kernel ridge coefficients are refit ");
        sb.Append("on each split (the tuning split's training rows include many of the splits' test rows, so M has seen their labels). ");
        sb.Append("*RFM re-run*: RFM run afresh on each split's training rows for the chosen number of iterations. ");
        sb.Append("*Laplace*: the same protocol restricted to iteration 0. ");
        if (s.MaxLeafSize is int leaf)
            sb.Append($"Tree variant (`--max-leaf-size {leaf}`): on a dataset whose splits train on more than {leaf} rows every fit is a tree of RFMs with leaves of at most {leaf} rows, each leaf choosing its iteration on a 20 % holdout of its rows (early stopping on); (reg, normalisation) is chosen by the tree's validation accuracy (iteration shown as *tree*), each split is fitted afresh, so *RFM* and *RFM re-run* are the same, and *Laplace* is the tree with iteration 0 only. ");
        sb.Append($"Every fit computes in {(s.Precision == FitPrecision.Float64 ? "float64" : "float32")}.\n\n");
        sb.Append(table);
        sb.Append($"\nWall time {Fmt.F(wall, 1)} s on {Environment.ProcessorCount} logical processors (SIMD tier {RfmFast.Core.Isa.Best}).\n");
        return sb.ToString();
    }

    static string Json(IReadOnlyList<UciResult> results)
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
                w.WriteNumber("rfm_test_accuracy", r.RfmTestAccuracy);
                w.WriteNumber("rfm_rerun_test_accuracy", r.RfmRerunTestAccuracy);
                w.WriteNumber("laplace_test_accuracy", r.LaplaceTestAccuracy);
                Numbers(w, "rfm_split_accuracies", r.RfmFoldAccuracies);
                Numbers(w, "rfm_rerun_split_accuracies", r.RfmRerunFoldAccuracies);
                Numbers(w, "laplace_split_accuracies", r.LaplaceFoldAccuracies);
                w.WriteNumber("rfm_validation_accuracy", r.RfmValidationAccuracy);
                w.WriteNumber("laplace_validation_accuracy", r.LaplaceValidationAccuracy);
                w.WriteNumber("rfm_reg", r.RfmReg);
                w.WriteBoolean("rfm_normalize", r.RfmNormalize);
                w.WriteNumber("rfm_iteration", r.RfmIteration);
                w.WriteNumber("laplace_reg", r.LaplaceReg);
                w.WriteBoolean("laplace_normalize", r.LaplaceNormalize);
                w.WriteNumber("seconds", r.Seconds);
                w.WriteStartArray("tuning");
                foreach (var t in r.Tuning)
                {
                    w.WriteStartObject();
                    w.WriteNumber("reg", t.Reg);
                    w.WriteBoolean("normalize", t.Normalize);
                    Numbers(w, "validation_accuracy", t.Accuracy);
                    if (t.Failure is not null)
                        w.WriteString("failure", t.Failure);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    static void Numbers(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
        {
            if (double.IsFinite(v))
                w.WriteNumberValue(v);
            else
                w.WriteNullValue(); // an iteration that could not be fitted
        }
        w.WriteEndArray();
    }
}
