using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm pmlb --task classification</c>: on PMLB's phoneme from ../shared/data/pmlb (a sensible accuracy,
/// the stratified test split's size, the default single split, one RFM below the tree's leaf size), and on tiny
/// generated data: the final fits against the library called directly on the same stratified split (one RFM, and a
/// tree with small leaves), the tuning subsets, <c>--no-baseline</c>, <c>--splits</c>, <c>--verbose</c>, and bad input
/// as one line.</summary>
public sealed class PmlbClassificationTests
{
    static readonly double[] Bandwidths = [1, 10];
    static readonly double[] Regs = [1e-3, 0.1];

    static string SharedPmlb()
    {
        string? env = Environment.GetEnvironmentVariable("RFMFAST_SHARED_DIR");
        if (!string.IsNullOrEmpty(env))
            return Path.Combine(env, "data", "pmlb");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RfmFast.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "pmlb"));
        throw new InvalidOperationException("RfmFast.sln not found above the test binaries.");
    }

    [Fact]
    public void Phoneme_has_a_sensible_accuracy()
    {
        string data = SharedPmlb();
        Assert.True(File.Exists(Path.Combine(data, "phoneme", "phoneme.tsv.gz")), $"missing {data}/phoneme (../shared/data)");
        using var dir = new TempDir();
        string prefix = Path.Combine(dir.Path, "out", "cls");
        var run = CliRunner.Run("pmlb", data, "--task", "classification", "--only", "phoneme", "--max-tune-rows", "500", "--out", prefix + ".json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        Assert.Contains("rfm pmlb: 1 classification dataset(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("[1/1] phoneme: n=5404 d=5 classes=2 ...", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 seeded stratified 80/20 split(s)", run.Out, StringComparison.Ordinal);

        string md = File.ReadAllText(prefix + ".md");
        Assert.Contains("# rfm pmlb classification results", md, StringComparison.Ordinal);
        Assert.Contains("| phoneme ", md, StringComparison.Ordinal);
        Assert.Contains("| mean (1) ", md, StringComparison.Ordinal);
        Assert.DoesNotContain("In progress", md, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        var r = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal((5404, 5, 2), (r.GetProperty("n").GetInt32(), r.GetProperty("d").GetInt32(), r.GetProperty("classes").GetInt32()));
        var rfm = Assert.Single(r.GetProperty("rfm_splits").EnumerateArray()); // one split by default
        var lap = Assert.Single(r.GetProperty("laplace_splits").EnumerateArray());
        double acc = r.GetProperty("rfm_test_accuracy").GetDouble(), lapAcc = r.GetProperty("laplace_test_accuracy").GetDouble();
        Assert.True(acc > 0.7, $"RFM accuracy {acc}");
        Assert.True(lapAcc > 0.7, $"Laplace accuracy {lapAcc}");
        // Stratified test set: round(0.2 x 3818) + round(0.2 x 1586) = 764 + 317 rows; validation: 250 rows (the cap / 2).
        foreach (var s in new[] { rfm, lap })
        {
            AssertCount(s.GetProperty("accuracy").GetDouble(), 1081);
            AssertCount(s.GetProperty("validation_accuracy").GetDouble(), 250);
            Assert.False(s.GetProperty("tree").GetBoolean()); // 4323 training rows: one RFM
            Assert.Equal(1, s.GetProperty("leaves").GetInt32());
            Assert.True(s.GetProperty("fit_seconds").GetDouble() > 0);
            Assert.True(s.GetProperty("predict_seconds").GetDouble() > 0);
        }
        Assert.Equal(0, lap.GetProperty("iteration").GetInt32());
        Assert.Equal(acc, rfm.GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void Final_fits_are_the_library_on_the_stratified_split()
    {
        using var dir = new TempDir();
        var (x, y) = Toy(240, seed: 5);
        WriteFolder(dir.Path, ("toy", x, y.Select(c => c.ToString("F1", CultureInfo.InvariantCulture)).ToArray()));
        string prefix = Path.Combine(dir.Path, "r");
        var run = CliRunner.Run("pmlb", dir.Path, "--task", "classification", "--splits", "2", "--seed", "7", "--max-tune-rows", "80",
            "--verbose", "--out", prefix);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        // 2 x 2 (L, reg) per split, every iteration scored.
        Assert.Equal(8, run.Out.Split('\n').Count(l => l.Contains("val accuracy % by iteration", StringComparison.Ordinal)));
        // Split 0's tuning rows: the inner split's fitting part (about 150 rows) capped at 80, its validation part
        // (about 38 rows) under the cap of 40.
        var (train0, _) = DataSplit.Stratified(y, 0.2, 7);
        var (fit0, val0) = DataSplit.Stratified(DataSplit.Rows(y, train0), 0.2, 1007);
        Assert.True(fit0.Length > 80 && val0.Length <= 40);
        Assert.Contains($"(80 + {val0.Length} rows,", run.Out, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        var r = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(3, r.GetProperty("classes").GetInt32());
        var rfmSplits = r.GetProperty("rfm_splits").EnumerateArray().ToArray();
        var lapSplits = r.GetProperty("laplace_splits").EnumerateArray().ToArray();
        Assert.Equal(2, rfmSplits.Length);
        for (int k = 0; k < 2; k++)
        {
            var (train, test) = DataSplit.Stratified(y, 0.2, 7 + k);
            foreach (var (s, baseline) in new[] { (rfmSplits[k], false), (lapSplits[k], true) })
            {
                int t = s.GetProperty("iteration").GetInt32();
                Assert.True(t is >= 0 and <= 4);
                if (baseline)
                    Assert.Equal(0, t);
                Assert.Contains(s.GetProperty("bandwidth").GetDouble(), Bandwidths);
                Assert.Contains(s.GetProperty("reg").GetDouble(), Regs);
                var options = new RfmOptions
                {
                    Bandwidth = s.GetProperty("bandwidth").GetDouble(), Reg = s.GetProperty("reg").GetDouble(), Iterations = t,
                    ValidationFraction = 0, Preprocessing = Preprocessing.Standardize, Seed = 7 + k,
                };
                var model = new RfmClassifier(options).Fit(DataSplit.Rows(x, train), DataSplit.Rows(y, train),
                    cancellationToken: TestContext.Current.CancellationToken);
                Assert.Equal(model.Score(DataSplit.Rows(x, test), DataSplit.Rows(y, test)), s.GetProperty("accuracy").GetDouble(), 12);
            }
        }
        // Two classes decided by the first of four features, the third by the second: better than chance by far.
        Assert.True(r.GetProperty("rfm_test_accuracy").GetDouble() > 0.6);
        Assert.Equal(rfmSplits.Average(s => s.GetProperty("accuracy").GetDouble()), r.GetProperty("rfm_test_accuracy").GetDouble(), 12);
    }

    [Fact]
    public void A_training_part_above_the_leaf_size_is_a_tree()
    {
        // The tool keeps the library's default leaf size (16384); small leaves make a tree of 1200 training rows.
        var (x, y) = Toy(1500, seed: 9);
        int n = y.Length, d = x.GetLength(1);
        var flat = new float[n * d];
        Buffer.BlockCopy(x, 0, flat, 0, flat.Length * sizeof(float));
        var ds = new PmlbDataset { Name = "toy", X = flat, Y = [.. y.Select(c => (double)c)], D = d };
        var tree = new TreeOptions { MaxLeafSize = 400, SplitSampleSize = 200 };
        var settings = PmlbSettings.ForClassification() with { MaxTuneRows = 200, Tree = tree };
        var lines = new List<string>();
        var r = PmlbClassificationProtocol.Run(ds, settings, lines.Add);

        var (train, test) = DataSplit.Stratified(y, 0.2, 0);
        foreach (var s in new[] { r.Rfm[0], r.Laplace![0] })
        {
            Assert.True(s.IsTree);
            Assert.Equal(4, s.Leaves); // 1200 rows: halved twice to 300
            var model = new RfmClassifier(new RfmOptions
            {
                Bandwidth = s.Bandwidth, Reg = s.Reg, Iterations = s.Iteration, ValidationFraction = 0,
                Preprocessing = Preprocessing.Standardize, Tree = tree,
            }).Fit(DataSplit.Rows(x, train), DataSplit.Rows(y, train), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(4, model.Tree!.Leaves.Count);
            Assert.Equal(model.Score(DataSplit.Rows(x, test), DataSplit.Rows(y, test)), s.Accuracy, 12);
        }
        Assert.True(r.RfmAccuracy > 0.8, $"RFM accuracy {r.RfmAccuracy}");
        Assert.Contains(lines, l => l.Contains("RFM final fit: leaf 4 of 4", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(tree of 4 leaves)", StringComparison.Ordinal));
        Assert.Contains("| tree, 4 leaves |", PmlbClassificationCommand.Table([r]), StringComparison.Ordinal);
    }

    [Fact]
    public void Tuning_subsets_are_capped_stratified_and_keep_every_class()
    {
        // 1000 rows of class 0, 30 of class 1, 1 of class 2, 1 of class 3.
        int[] labels = [.. Enumerable.Repeat(0, 1000), .. Enumerable.Repeat(1, 30), 2, 3];
        int[] positions = [.. Enumerable.Range(0, labels.Length).Where(i => i % 7 != 3)];
        foreach (int cap in new[] { 5, 50, 333 })
        {
            var sub = PmlbClassificationProtocol.Subset(labels, positions, cap, seed: 11);
            Assert.Equal(cap, sub.Length);
            Assert.Equal(sub.Order().ToArray(), sub);
            Assert.Equal(sub.Length, sub.Distinct().Count());
            Assert.All(sub, i => Assert.Contains(i, positions));
            Assert.Equal(positions.Select(i => labels[i]).Distinct().Order(), sub.Select(i => labels[i]).Distinct().Order());
            Assert.Equal(sub, PmlbClassificationProtocol.Subset(labels, positions, cap, seed: 11));
        }
        // About proportional: class 1 keeps about 26 x 333 / 885 of its 26 positions.
        var third = PmlbClassificationProtocol.Subset(labels, positions, 333, seed: 11);
        Assert.InRange(third.Count(i => labels[i] == 1), 9, 13);
        // More classes than the cap: one row of each.
        Assert.Equal(4, PmlbClassificationProtocol.Subset(labels, positions, 2, seed: 1).Length);
        Assert.Same(positions, PmlbClassificationProtocol.Subset(labels, positions, positions.Length, seed: 1));
    }

    [Fact]
    public void No_baseline_and_bad_input()
    {
        using var dir = new TempDir();
        var (x, y) = Toy(60, seed: 2);
        string[] codes = [.. y.Select(c => (c - 1).ToString(CultureInfo.InvariantCulture))]; // -1, 0, 1
        string[] bad = [.. codes];
        bad[17] = "0.5";
        WriteFolder(dir.Path, ("good", x, codes), ("halves", x, bad));

        var r = CliRunner.Run("pmlb", dir.Path, "--task", "classification", "--no-baseline", "--max-tune-rows", "40");
        Assert.Equal(1, r.ExitCode); // halves fails, good runs
        r.AssertNoStackTrace();
        var err = Assert.Single(r.ErrLines);
        Assert.StartsWith("rfm: halves: line 19: the target 0.5 is not an integer class code", err, StringComparison.Ordinal);
        Assert.Contains("no Laplace baseline", r.Out, StringComparison.Ordinal);
        Assert.Contains("[1/2] good: n=60 d=4 classes=3", r.Out, StringComparison.Ordinal);
        string row = r.Out.Split('\n').First(l => l.StartsWith("| good ", StringComparison.Ordinal));
        Assert.Equal("-", row.Split('|')[6].Trim()); // Laplace acc %
        Assert.Contains("1 dataset(s) done, 0 skipped, 1 failed", r.Out, StringComparison.Ordinal);

        CliRunner.Run("pmlb", dir.Path, "--task", "classification", "--only", "zzz").AssertOneLineError(1, "no classification dataset named 'zzz'");
        CliRunner.Run("pmlb", dir.Path, "--no-baseline").AssertOneLineError(1, "--no-baseline applies to --task classification only");
        CliRunner.Run("pmlb", dir.Path, "--task", "classification", "--splits", "0").AssertOneLineError(1, "--splits must be positive");
        var usage = CliRunner.Run("pmlb", dir.Path, "--task", "clustering");
        Assert.Equal(2, usage.ExitCode);
        usage.AssertNoStackTrace();
        // The regression task does not see the classification sets.
        CliRunner.Run("pmlb", dir.Path, "--only", "good").AssertOneLineError(1, "no real regression dataset named 'good'");
    }

    static void AssertCount(double fraction, int rows)
    {
        double count = fraction * rows;
        Assert.True(Math.Abs(count - Math.Round(count)) < 1e-6, $"{fraction} is not a count out of {rows}");
    }

    /// <summary>Four raw features with offsets and scales (the library standardises); class 0 when z0 &lt; -0.3,
    /// else 1 or 2 by the sign of z1; the last two features are noise.</summary>
    static (float[,] X, int[] Y) Toy(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n, 4];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            double z0 = Synthetic.Gauss(rng), z1 = Synthetic.Gauss(rng);
            x[i, 0] = (float)(5 + 2 * z0);
            x[i, 1] = (float)(-100 + 30 * z1);
            x[i, 2] = (float)Synthetic.Gauss(rng);
            x[i, 3] = (float)(1000 * Synthetic.Gauss(rng));
            y[i] = z0 < -0.3 ? 0 : z1 < 0 ? 1 : 2;
        }
        return (x, y);
    }

    static void WriteFolder(string dir, params (string Name, float[,] X, string[] Target)[] sets)
    {
        var manifest = new StringBuilder("dataset\tn_samples\tn_features\tn_classes\ttask\tsynthetic\n");
        // A regression row is never picked up by --task classification.
        manifest.Append("reg\t100\t3\tNA\tregression\tno\n");
        foreach (var (name, x, target) in sets)
        {
            int d = x.GetLength(1);
            manifest.Append(CultureInfo.InvariantCulture, $"{name}\t{target.Length}\t{d}\t{target.Distinct().Count()}\tclassification\tyes\n");
            Directory.CreateDirectory(Path.Combine(dir, name));
            var text = new StringBuilder(string.Join("\t", Enumerable.Range(0, d).Select(j => $"f{j}")) + "\ttarget\n");
            for (int i = 0; i < target.Length; i++)
                text.Append(string.Join("\t", Enumerable.Range(0, d).Select(j => x[i, j].ToString("R", CultureInfo.InvariantCulture))))
                    .Append('\t').Append(target[i]).Append('\n');
            using var gz = new GZipStream(File.Create(Path.Combine(dir, name, name + ".tsv.gz")), CompressionLevel.Fastest);
            gz.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }
        File.WriteAllText(Path.Combine(dir, "MANIFEST.tsv"), manifest.ToString());
    }
}
