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

/// <summary><c>rfm pmlb</c> end to end on a tiny generated PMLB folder, checked against a re-computation here:
/// the seeded splits, the standardisation, the validation MSEs from the estimator's own History, the selection
/// rule written naively, the Laplace baseline's test RMSE as a naive double-precision kernel ridge regression,
/// and RMSE / R^2 from their definitions.</summary>
public sealed class PmlbTests
{
    static readonly double[] Bandwidths = [1, 10];
    static readonly double[] Regs = [1, 0.1, 0.01, 0.001];

    [Fact]
    public void MatchesAnIndependentRecomputation()
    {
        using var dir = new TempDir();
        var (x, y) = Toy(70, seed: 3);
        WriteFolder(dir.Path, ("toy", x, y, false), ("synth", x, y, true));
        string prefix = Path.Combine(dir.Path, "out", "pmlb");

        // --max-tune-rows 30: the tuning fits use 30 of the 45 fitting rows (validation: all 11, under the cap of 15).
        var run = CliRunner.Run("pmlb", dir.Path, "--splits", "2", "--max-tune-rows", "30", "--out", prefix + ".md");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        Assert.Contains("rfm pmlb: 1 real regression dataset(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("[1/1] toy: n=70 d=3", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("synth", run.Out, StringComparison.Ordinal); // synthetic sets are not part of the table
        Assert.Contains("| toy ", File.ReadAllText(prefix + ".md"), StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        var r = Assert.Single(json.RootElement.EnumerateArray());
        var rfmSplits = r.GetProperty("rfm_splits").EnumerateArray().ToArray();
        var lapSplits = r.GetProperty("laplace_splits").EnumerateArray().ToArray();
        Assert.Equal(2, rfmSplits.Length);
        int n = y.Length;
        for (int k = 0; k < 2; k++)
        {
            // Split k: shuffle with seed k, the first 20 % (rounded) is the test set; the inner validation part is
            // the first 20 % of a shuffle of the training part with seed 1000 + k.
            var order = Enumerable.Range(0, n).ToArray();
            new Random(k).Shuffle(order);
            int held = (int)Math.Round(0.2 * n);
            int[] test = order[..held], train = order[held..];
            var inner = Enumerable.Range(0, train.Length).ToArray();
            new Random(1000 + k).Shuffle(inner);
            int innerHeld = (int)Math.Round(0.2 * train.Length);
            int[] val = [.. inner[..innerHeld].Select(i => train[i])], fit = [.. inner[innerHeld..].Take(30).Select(i => train[i])];
            Assert.Equal((11, 30), (val.Length, fit.Length));

            var (mean, sd) = ColumnStats(x, train);
            double yMean = train.Average(i => y[i]);
            double ySd = Math.Sqrt(train.Sum(i => (y[i] - yMean) * (y[i] - yMean)) / (train.Length - 1));
            float[,] X(int[] idx) => Standardized(x, idx, mean, sd);
            float[,] Y(int[] idx)
            {
                var t = new float[idx.Length, 1];
                for (int i = 0; i < idx.Length; i++)
                    t[i, 0] = (float)((y[idx[i]] - yMean) / ySd);
                return t;
            }

            var grid = new List<(double L, double Reg, double[] Mse)>();
            foreach (double bw in Bandwidths)
                foreach (double reg in Regs)
                {
                    var m = new RfmRegressor(Options(bw, reg, 4) with { EarlyStopMultiplier = double.MaxValue })
                        .Fit(X(fit), Y(fit), X(val), Y(val), cancellationToken: TestContext.Current.CancellationToken);
                    Assert.Equal(5, m.History.Count);
                    grid.Add((bw, reg, [.. m.History.Select(h => h.ValidationScore)]));
                }
            // Naive selection: the first strictly smaller MSE wins, bandwidth-major grid order.
            (int C, int T) rfmPick = (-1, -1), lapPick = (-1, 0);
            double best = double.MaxValue, bestLap = double.MaxValue;
            for (int c = 0; c < grid.Count; c++)
            {
                for (int t = 0; t < 5; t++)
                    if (grid[c].Mse[t] < best)
                        (best, rfmPick) = (grid[c].Mse[t], (c, t));
                if (grid[c].Mse[0] < bestLap)
                    (bestLap, lapPick) = (grid[c].Mse[0], (c, 0));
            }
            var rs = rfmSplits[k];
            Assert.Equal(grid[rfmPick.C].L, rs.GetProperty("bandwidth").GetDouble());
            Assert.Equal(grid[rfmPick.C].Reg, rs.GetProperty("reg").GetDouble());
            Assert.Equal(rfmPick.T, rs.GetProperty("iteration").GetInt32());
            Assert.Equal(best, rs.GetProperty("validation_mse").GetDouble(), 12);
            var ls = lapSplits[k];
            Assert.Equal(grid[lapPick.C].L, ls.GetProperty("bandwidth").GetDouble());
            Assert.Equal(grid[lapPick.C].Reg, ls.GetProperty("reg").GetDouble());
            Assert.Equal(0, ls.GetProperty("iteration").GetInt32());

            double[] truth = [.. test.Select(i => y[i])];
            // RFM refit on the whole training part for the chosen iterations, back in the target's units.
            var refit = new RfmRegressor(Options(grid[rfmPick.C].L, grid[rfmPick.C].Reg, rfmPick.T))
                .Fit(X(train), Y(train), cancellationToken: TestContext.Current.CancellationToken);
            var p = refit.PredictRaw(X(test));
            double[] rfmPred = [.. Enumerable.Range(0, test.Length).Select(i => p[i, 0] * ySd + yMean)];
            AssertMetrics(truth, rfmPred, rs, 1e-9);
            // Laplace: a naive double kernel ridge regression; float fits agree to a few 1e-4.
            double[] lapPred = NaiveKrr(X(train), Y(train), X(test), grid[lapPick.C].L, grid[lapPick.C].Reg)
                .Select(v => v * ySd + yMean).ToArray();
            AssertMetrics(truth, lapPred, ls, 2e-3);
        }
        Assert.Equal(rfmSplits.Average(s => s.GetProperty("rmse").GetDouble()), r.GetProperty("rfm_test_rmse").GetDouble(), 12);
        Assert.Equal(lapSplits.Average(s => s.GetProperty("r2").GetDouble()), r.GetProperty("laplace_test_r2").GetDouble(), 12);
        // The toy's target depends on one direction: the learned metric must help.
        Assert.True(r.GetProperty("rfm_test_r2").GetDouble() > r.GetProperty("laplace_test_r2").GetDouble());
    }

    [Fact]
    public void OnlyAndMaxN()
    {
        using var dir = new TempDir();
        var (x1, y1) = Toy(30, 1);
        var (x2, y2) = Toy(60, 2);
        WriteFolder(dir.Path, ("small", x1, y1, false), ("large", x2, y2, false), ("other", x1, y1, false));
        var r = CliRunner.Run("pmlb", dir.Path, "--only", "small,large", "--max-n", "50", "--splits", "1", "--verbose");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[1/2] small: n=30 d=3", r.Out, StringComparison.Ordinal);
        Assert.Contains("[2/2] large: skipped (n = 60 > --max-n 50)", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("other", r.Out, StringComparison.Ordinal);
        Assert.Equal(8, r.Out.Split('\n').Count(l => l.Contains("val MSE by iteration", StringComparison.Ordinal)));
        Assert.Contains("1 dataset(s) done, 1 skipped, 0 failed", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        using var dir = new TempDir();
        CliRunner.Run("pmlb", Path.Combine(dir.Path, "nope")).AssertOneLineError(1, "no such folder");
        CliRunner.Run("pmlb", dir.Path).AssertOneLineError(1, "no MANIFEST.tsv");

        var (x, y) = Toy(30, 1);
        WriteFolder(dir.Path, ("good", x, y, false), ("broken", x, y, false), ("text", x, y, false), ("absent", x, y, false));
        CliRunner.Run("pmlb", dir.Path, "--only", "zzz").AssertOneLineError(1, "no real regression dataset named 'zzz'");
        CliRunner.Run("pmlb", dir.Path, "--splits", "0").AssertOneLineError(1, "--splits must be positive");
        CliRunner.Run("pmlb", dir.Path, "--max-tune-rows", "1").AssertOneLineError(1, "--max-tune-rows must be at least 2");
        File.WriteAllText(Path.Combine(dir.Path, "broken", "broken.tsv.gz"), "not gzip");
        using (var gz = new GZipStream(File.Create(Path.Combine(dir.Path, "text", "text.tsv.gz")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("a\tb\ttarget\n1\t2\t3\n1\tx\t3\n"));
        File.Delete(Path.Combine(dir.Path, "absent", "absent.tsv.gz"));

        // One line per broken dataset; the good one still runs and the exit code reports the failures.
        var r = CliRunner.Run("pmlb", dir.Path, "--splits", "1");
        Assert.Equal(1, r.ExitCode);
        r.AssertNoStackTrace();
        Assert.Equal(3, r.ErrLines.Length);
        Assert.Contains(r.ErrLines, l => l.StartsWith("rfm: broken:", StringComparison.Ordinal) && l.Contains("not a gzip file", StringComparison.Ordinal));
        Assert.Contains(r.ErrLines, l => l.StartsWith("rfm: text:", StringComparison.Ordinal) && l.Contains("line 3, column 'b': 'x' is not a finite number", StringComparison.Ordinal));
        Assert.Contains(r.ErrLines, l => l.StartsWith("rfm: absent:", StringComparison.Ordinal) && l.Contains("no such file", StringComparison.Ordinal));
        Assert.Contains("1 dataset(s) done, 0 skipped, 3 failed", r.Out, StringComparison.Ordinal);
    }

    /// <summary>x in raw units with offsets and scales (the protocol standardises); y = 500 + 200 sin(1.5 z) + noise,
    /// z the standardised first column, so only one of the three directions matters.</summary>
    internal static (float[,] X, double[] Y) Toy(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n, 3];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Synthetic.Gauss(rng);
            x[i, 0] = (float)(10 + 3 * z);
            x[i, 1] = (float)(-200 + 50 * Synthetic.Gauss(rng));
            x[i, 2] = (float)Synthetic.Gauss(rng);
            y[i] = 500 + 200 * Math.Sin(1.5 * z) + 5 * Synthetic.Gauss(rng);
        }
        return (x, y);
    }

    internal static void WriteFolder(string dir, params (string Name, float[,] X, double[] Y, bool Synthetic)[] sets)
    {
        var manifest = new StringBuilder("dataset\tn_samples\tn_features\tn_classes\ttask\tsynthetic\n");
        foreach (var (name, x, y, synthetic) in sets)
        {
            manifest.Append(CultureInfo.InvariantCulture, $"{name}\t{y.Length}\t{x.GetLength(1)}\tNA\tregression\t{(synthetic ? "yes" : "no")}\n");
            Directory.CreateDirectory(Path.Combine(dir, name));
            var text = new StringBuilder("c0\tc1\tc2\ttarget\n");
            for (int i = 0; i < y.Length; i++)
                text.Append(CultureInfo.InvariantCulture, $"{x[i, 0]:R}\t{x[i, 1]:R}\t{x[i, 2]:R}\t{y[i]:R}\n");
            using var gz = new GZipStream(File.Create(Path.Combine(dir, name, name + ".tsv.gz")), CompressionLevel.Fastest);
            gz.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }
        // A classification row is never picked up either.
        manifest.Append("cls\t100\t3\t2\tclassification\tno\n");
        File.WriteAllText(Path.Combine(dir, "MANIFEST.tsv"), manifest.ToString());
    }

    static void AssertMetrics(double[] truth, double[] pred, JsonElement split, double relTol)
    {
        double mean = truth.Average();
        double sse = truth.Zip(pred).Sum(t => (t.First - t.Second) * (t.First - t.Second));
        double sst = truth.Sum(t => (t - mean) * (t - mean));
        double rmse = Math.Sqrt(sse / truth.Length), r2 = 1 - sse / sst;
        double gotRmse = split.GetProperty("rmse").GetDouble(), gotR2 = split.GetProperty("r2").GetDouble();
        Assert.True(Math.Abs(gotRmse - rmse) <= relTol * rmse, $"rmse {gotRmse} vs {rmse}");
        Assert.True(Math.Abs(gotR2 - r2) <= relTol * 10, $"r2 {gotR2} vs {r2}");
        // And the two reported metrics agree with each other: RMSE^2 * n = (1 - R^2) * SST.
        Assert.True(Math.Abs(gotRmse * gotRmse * truth.Length - (1 - gotR2) * sst) <= 1e-9 * sst);
    }

    static (double[] Mean, double[] Sd) ColumnStats(float[,] x, int[] rows)
    {
        int d = x.GetLength(1);
        var mean = new double[d];
        var sd = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = rows.Average(i => (double)x[i, j]);
            sd[j] = Math.Sqrt(rows.Sum(i => ((double)x[i, j] - mean[j]) * ((double)x[i, j] - mean[j])) / (rows.Length - 1));
        }
        return (mean, sd);
    }

    static float[,] Standardized(float[,] x, int[] rows, double[] mean, double[] sd)
    {
        int d = x.GetLength(1);
        var r = new float[rows.Length, d];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = (float)((x[rows[i], j] - mean[j]) / sd[j]);
        return r;
    }

    /// <summary>(K + reg I) a = y with K_ij = exp(-|x_i - x_j| / L), by Gaussian elimination in double; returns K(test, train) a.</summary>
    static double[] NaiveKrr(float[,] train, float[,] y, float[,] test, double bw, double reg)
    {
        int n = train.GetLength(0), d = train.GetLength(1);
        double K(float[,] a, int i, float[,] b, int j)
        {
            double s = 0;
            for (int c = 0; c < d; c++)
                s += ((double)a[i, c] - b[j, c]) * ((double)a[i, c] - b[j, c]);
            return Math.Exp(-Math.Sqrt(s) / bw);
        }
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                m[i, j] = K(train, i, train, j) + (i == j ? reg : 0);
            m[i, n] = y[i, 0];
        }
        for (int p = 0; p < n; p++)
        {
            for (int i = p + 1; i < n; i++)
            {
                double f = m[i, p] / m[p, p];
                for (int j = p; j <= n; j++)
                    m[i, j] -= f * m[p, j];
            }
        }
        var a = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = m[i, n];
            for (int j = i + 1; j < n; j++)
                s -= m[i, j] * a[j];
            a[i] = s / m[i, i];
        }
        var r = new double[test.GetLength(0)];
        for (int t = 0; t < r.Length; t++)
            for (int i = 0; i < n; i++)
                r[t] += K(test, t, train, i) * a[i];
        return r;
    }

    static RfmOptions Options(double bw, double reg, int iterations) => new()
    {
        Kernel = RfmKernel.Laplace,
        Bandwidth = bw,
        Reg = reg,
        Iterations = iterations,
        ValidationFraction = 0,
    };
}
