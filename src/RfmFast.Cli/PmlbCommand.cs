using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RfmFast.Cli;

/// <summary><c>rfm pmlb DIR</c>: the regression protocol of <see cref="PmlbProtocol"/> on the real (not
/// synthetic) regression datasets of a PMLB folder, RFM next to the plain Laplace kernel, as a Markdown table
/// and optionally OUT.md / OUT.json. With <see cref="PmlbSettings.Task"/> classification (<c>--task classification</c>)
/// it runs <see cref="PmlbClassificationCommand"/> instead.</summary>
static class PmlbCommand
{
    public static int Run(string dir, string[] only, int maxN, string? outPrefix, PmlbSettings settings, bool verbose,
        TextWriter stdout, TextWriter stderr)
    {
        if (settings.Task == PmlbTask.Classification)
            return PmlbClassificationCommand.Run(dir, only, maxN, outPrefix, settings, verbose, stdout, stderr);
        var clock = Stopwatch.StartNew();
        var sets = Only(PmlbDataset.RealRegression(dir), only, dir, "real regression");
        string? prefix = outPrefix is null ? null : OutPrefix(outPrefix);

        stdout.WriteLine($"rfm pmlb: {sets.Count} real regression dataset(s) in {dir}");
        stdout.WriteLine($"  {settings.Splits} seeded {Fmt.G(100 * (1 - settings.TestFraction))}/{Fmt.G(100 * settings.TestFraction)} splits; Laplace kernel, " +
            $"L in {{{string.Join(", ", settings.Bandwidths.Select(Fmt.G))}}} x reg in {{{string.Join(", ", settings.Regs.Select(Fmt.Reg))}}}, iterations 0..{settings.Iterations}, " +
            $"chosen by MSE on a seeded {Fmt.G(100 * settings.ValidationFraction)} % of each training part (tuning fits on at most {settings.MaxTuneRows} rows)");
        var results = new List<PmlbResult>();
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
                stdout.WriteLine($"{tag}: n={ds.N} d={ds.D} ...");
                stdout.Flush();
                var r = PmlbProtocol.Run(ds, settings, verbose ? line => { stdout.WriteLine(line); stdout.Flush(); } : null);
                results.Add(r);
                stdout.WriteLine($"{tag}: RFM RMSE {Fmt.G(r.RfmRmse)} R^2 {Fmt.F(r.RfmR2, 4)}  Laplace RMSE {Fmt.G(r.LaplaceRmse)} R^2 {Fmt.F(r.LaplaceR2, 4)}  {Fmt.F(r.Seconds, 1)} s" +
                    (r.Failures.Length > 0 ? $"  [{r.Failures.Length} tuning setting(s) stopped early]" : ""));
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

    /// <summary>The datasets named in <paramref name="only"/> (all when it is empty), in the manifest's order; a name
    /// that is not among them is a <see cref="CliException"/> ("no KIND dataset named ...").</summary>
    public static List<(string Name, int N)> Only(List<(string Name, int N)> sets, string[] only, string dir, string kind)
    {
        if (only.Length == 0)
            return sets;
        var known = sets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var missing = only.Where(n => !known.Contains(n)).ToArray();
        if (missing.Length > 0)
            throw new CliException($"{dir}: no {kind} dataset named {string.Join(", ", missing.Select(m => $"'{m}'"))}");
        var wanted = only.ToHashSet(StringComparer.Ordinal);
        return sets.Where(s => wanted.Contains(s.Name)).ToList();
    }

    /// <summary>OUT without a trailing .md / .json, its folder created.</summary>
    public static string OutPrefix(string outPrefix)
    {
        string p = outPrefix.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || outPrefix.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? outPrefix[..outPrefix.LastIndexOf('.')] : outPrefix;
        string? parent = Path.GetDirectoryName(Path.GetFullPath(p));
        if (parent is not null)
            Directory.CreateDirectory(parent);
        return p;
    }

    /// <summary>The per-dataset table: mean test RMSE and R^2 over the splits, the settings each split chose, and
    /// a last row with the mean R^2 over datasets and how often RFM's R^2 beats Laplace's.</summary>
    public static string Table(IReadOnlyList<PmlbResult> results)
    {
        string[] header = ["dataset", "n", "d", "RFM RMSE", "RFM R^2", "Laplace RMSE", "Laplace R^2", "RFM L / reg / iter per split", "Laplace L / reg per split", "seconds"];
        bool[] right = [false, true, true, true, true, true, true, false, false, true];
        var rows = results.Select(r => new[]
        {
            r.Dataset, r.N.ToString(System.Globalization.CultureInfo.InvariantCulture), r.D.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Fmt.G4(r.RfmRmse), Fmt.F(r.RfmR2, 4), Fmt.G4(r.LaplaceRmse), Fmt.F(r.LaplaceR2, 4),
            string.Join(", ", r.Rfm.Select(s => $"{Fmt.G(s.Bandwidth)}/{Fmt.Reg(s.Reg)}/{s.Iteration}")),
            string.Join(", ", r.Laplace.Select(s => $"{Fmt.G(s.Bandwidth)}/{Fmt.Reg(s.Reg)}")),
            Fmt.F(r.Seconds, 1),
        }).ToList();
        if (results.Count > 0)
        {
            int wins = results.Count(r => r.RfmR2 > r.LaplaceR2);
            rows.Add([$"mean ({results.Count})", "", "", "", Fmt.F(results.Average(r => r.RfmR2), 4), "", Fmt.F(results.Average(r => r.LaplaceR2), 4),
                $"RFM R^2 higher on {wins} of {results.Count}", "", Fmt.F(results.Sum(r => r.Seconds), 1)]);
        }
        return Fmt.Markdown(header, rows, right);
    }

    static string Markdown(string dir, PmlbSettings s, IReadOnlyList<PmlbResult> results, string table, double wall)
    {
        var sb = new StringBuilder();
        sb.Append("# rfm pmlb results\n\n");
        sb.Append($"Data: `{dir}`, its real (not synthetic) regression datasets. For each of {s.Splits} seeded shuffles (seed {s.Seed} + split), ");
        sb.Append($"{Fmt.G(100 * s.TestFraction)} % of the rows are the test set. Features and target are standardised with the training part's mean and ");
        sb.Append($"standard deviation; a seeded {Fmt.G(100 * s.ValidationFraction)} % of the training part is held out, and RFM (Laplace kernel, M = the ");
        sb.Append($"mean AGOP over all fitting rows, normalised to mean diagonal 1) is fitted on the rest (at most {s.MaxTuneRows} of its rows and ");
        sb.Append($"{s.MaxTuneRows / 2} validation rows, seeded subsets, so that the 40 tuning fits stay cheap on the large sets) for every ");
        sb.Append($"L in {{{string.Join(", ", s.Bandwidths.Select(Fmt.G))}}} x reg in {{{string.Join(", ", s.Regs.Select(Fmt.Reg))}}}, iterations 0..{s.Iterations} scored by validation MSE. ");
        sb.Append("*RFM* takes the best (L, reg, iteration), *Laplace* the best (L, reg) at iteration 0 (strictly smaller MSE wins). Each is refitted ");
        sb.Append("on the whole training part (RFM for the chosen number of iterations) and scored on the test rows: RMSE in the target's units ");
        sb.Append("and R^2 = 1 - SSE/SST, both averaged over the splits. ");
        sb.Append($"Every fit computes in {(s.Precision == FitPrecision.Float64 ? "float64" : "float32")}.\n\n");
        sb.Append(table);
        sb.Append($"\nWall time {Fmt.F(wall, 1)} s on {Environment.ProcessorCount} logical processors (SIMD tier {RfmFast.Core.Isa.Best}).\n");
        var failures = results.SelectMany(r => r.Failures.Select(f => $"- {r.Dataset}, {f}\n")).ToArray();
        if (failures.Length > 0)
        {
            sb.Append("\nTuning settings that stopped early (their later iterations are never chosen):\n\n");
            foreach (var f in failures)
                sb.Append(f);
        }
        return sb.ToString();
    }

    static string Json(IReadOnlyList<PmlbResult> results)
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
                w.WriteNumber("rfm_test_rmse", r.RfmRmse);
                Number(w, "rfm_test_r2", r.RfmR2);
                w.WriteNumber("laplace_test_rmse", r.LaplaceRmse);
                Number(w, "laplace_test_r2", r.LaplaceR2);
                Splits(w, "rfm_splits", r.Rfm);
                Splits(w, "laplace_splits", r.Laplace);
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

    static void Splits(Utf8JsonWriter w, string name, PmlbSplitResult[] splits)
    {
        w.WriteStartArray(name);
        foreach (var s in splits)
        {
            w.WriteStartObject();
            w.WriteNumber("rmse", s.Rmse);
            Number(w, "r2", s.R2);
            w.WriteNumber("bandwidth", s.Bandwidth);
            w.WriteNumber("reg", s.Reg);
            w.WriteNumber("iteration", s.Iteration);
            w.WriteNumber("validation_mse", s.ValidationMse);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A number, or null when it is not finite (JSON has no NaN).</summary>
    public static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }
}
