using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm uci</c> end to end on a tiny generated dataset, checked against a re-computation here:
/// the validation accuracies from the estimator's own History, the paper's selection rule written naively,
/// and the split fits as a naive double-precision kernel ridge regression with the chosen M.</summary>
public sealed class UciTests
{
    static readonly double[] Regs = [10, 1, 0.1, 0.01, 0.001];
    const double L = 10;

    [Fact]
    public void MatchesAnIndependentRecomputation()
    {
        using var dir = new TempDir();
        var toy = UciFiles.Toy(72, seed: 7);
        UciFiles.Write(dir.Path, "toy", toy);
        string prefix = Path.Combine(dir.Path, "out", "results");

        var run = CliRunner.Run("uci", dir.Path, "--out", prefix);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        Assert.Contains("[1/1] toy: n=72 d=5 classes=3", run.Out, StringComparison.Ordinal);
        Assert.Contains("| mean (1) ", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(prefix + ".md"));
        Assert.Contains("| toy ", File.ReadAllText(prefix + ".md"), StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        Assert.Equal(1, json.RootElement.GetArrayLength());
        var r = json.RootElement[0];
        Assert.Equal("toy", r.GetProperty("dataset").GetString());

        // Tuning: every (reg, normalisation) in the paper's order, iterations 0..4 on the validation rows.
        var settings = new List<(double Reg, bool Norm, double[] Acc, RfmClassifierModel Model)>();
        foreach (double reg in Regs)
        {
            foreach (bool norm in new[] { true, false })
            {
                var x = norm ? NormalizeRows(toy.X) : toy.X;
                var model = new RfmClassifier(Options(reg, 4) with { EarlyStopMultiplier = double.MaxValue })
                    .Fit(Rows(x, toy.TuneTrain), Pick(toy.Y, toy.TuneTrain), Rows(x, toy.TuneValidation), Pick(toy.Y, toy.TuneValidation),
                        cancellationToken: TestContext.Current.CancellationToken);
                Assert.Equal(5, model.History.Count);
                settings.Add((reg, norm, [.. model.History.Select(h => h.ValidationScore)], model));
            }
        }
        var tuning = r.GetProperty("tuning");
        Assert.Equal(settings.Count, tuning.GetArrayLength());
        for (int k = 0; k < settings.Count; k++)
        {
            Assert.Equal(settings[k].Reg, tuning[k].GetProperty("reg").GetDouble());
            Assert.Equal(settings[k].Norm, tuning[k].GetProperty("normalize").GetBoolean());
            var acc = tuning[k].GetProperty("validation_accuracy").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(settings[k].Acc.Length, acc.Length);
            for (int t = 0; t < acc.Length; t++)
                Assert.Equal(settings[k].Acc[t], acc[t], 12);
        }

        // The selection rule, naively: the first strictly greater accuracy wins.
        int bestK = -1, bestT = -1;
        double best = -1;
        for (int k = 0; k < settings.Count; k++)
            for (int t = 0; t < 5; t++)
                if (settings[k].Acc[t] > best)
                    (best, bestK, bestT) = (settings[k].Acc[t], k, t);
        int lapK = -1;
        double lapBest = -1;
        for (int k = 0; k < settings.Count; k++)
            if (settings[k].Acc[0] > lapBest)
                (lapBest, lapK) = (settings[k].Acc[0], k);

        Assert.Equal(settings[bestK].Reg, r.GetProperty("rfm_reg").GetDouble());
        Assert.Equal(settings[bestK].Norm, r.GetProperty("rfm_normalize").GetBoolean());
        Assert.Equal(bestT, r.GetProperty("rfm_iteration").GetInt32());
        Assert.Equal(best, r.GetProperty("rfm_validation_accuracy").GetDouble(), 12);
        Assert.Equal(settings[lapK].Reg, r.GetProperty("laplace_reg").GetDouble());
        Assert.Equal(settings[lapK].Norm, r.GetProperty("laplace_normalize").GetBoolean());
        Assert.Equal(lapBest, r.GetProperty("laplace_validation_accuracy").GetDouble(), 12);
        // The toy is built so that the learned metric matters; the M path is exercised.
        Assert.True(bestT > 0, $"expected RFM to pick an iteration past 0 on the toy, got {bestT}");

        // The splits. Paper: M from the tuning fit, coefficients refit; naive double KRR here.
        var chosen = settings[bestK];
        var xr = chosen.Norm ? NormalizeRows(toy.X) : toy.X;
        var xl = settings[lapK].Norm ? NormalizeRows(toy.X) : toy.X;
        var m = chosen.Model.FeatureMatrix();
        var rfmSplits = Doubles(r.GetProperty("rfm_split_accuracies"));
        var rerunSplits = Doubles(r.GetProperty("rfm_rerun_split_accuracies"));
        var lapSplits = Doubles(r.GetProperty("laplace_split_accuracies"));
        Assert.Equal(4, rfmSplits.Length);
        var identity = new float[toy.D, toy.D];
        for (int j = 0; j < toy.D; j++)
            identity[j, j] = 1;
        for (int s = 0; s < 4; s++)
        {
            var (train, test) = toy.Folds[s];
            double oneRow = 1.0 / test.Length + 1e-12;
            Assert.InRange(rfmSplits[s] - NaiveKrrAccuracy(xr, toy.Y, train, test, m, chosen.Reg), -oneRow, oneRow);
            Assert.InRange(lapSplits[s] - NaiveKrrAccuracy(xl, toy.Y, train, test, identity, settings[lapK].Reg), -oneRow, oneRow);
            // Re-run: RFM afresh on the split for the chosen number of iterations (the last M is kept).
            var rerun = new RfmClassifier(Options(chosen.Reg, bestT)).Fit(Rows(xr, train), Pick(toy.Y, train), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(bestT, rerun.BestIteration);
            Assert.Equal(Accuracy(rerun.Predict(Rows(xr, test)), Pick(toy.Y, test)), rerunSplits[s], 12);
        }
        Assert.Equal(rfmSplits.Average(), r.GetProperty("rfm_test_accuracy").GetDouble(), 12);
        Assert.Equal(rerunSplits.Average(), r.GetProperty("rfm_rerun_test_accuracy").GetDouble(), 12);
        Assert.Equal(lapSplits.Average(), r.GetProperty("laplace_test_accuracy").GetDouble(), 12);
    }

    [Fact]
    public void ValidationRowsOfClassesUnseenInTrainingCountAsWrong()
    {
        using var dir = new TempDir();
        var toy = UciFiles.Toy(72, seed: 7);
        // The tuning split's training rows lose class 2; its validation rows keep theirs.
        toy = toy with { TuneTrain = [.. toy.TuneTrain.Where(i => toy.Y[i] != 2)] };
        UciFiles.Write(dir.Path, "toy", toy);
        UciFiles.Write(dir.Path, "balance-scale", UciFiles.Toy(40, 3));
        string prefix = Path.Combine(dir.Path, "out", "results");
        var run = CliRunner.Run("uci", dir.Path, "--out", prefix);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        var results = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("dataset").GetString()!);

        // The classifier is scored on the rows of known classes; the others count as wrong.
        int[] known = [.. toy.TuneValidation.Where(i => toy.Y[i] != 2)];
        Assert.InRange(known.Length, 1, toy.TuneValidation.Length - 1);
        var tuning = results["toy"].GetProperty("tuning");
        int k = 0;
        foreach (double reg in Regs)
        {
            foreach (bool norm in new[] { true, false })
            {
                var x = norm ? NormalizeRows(toy.X) : toy.X;
                var model = new RfmClassifier(Options(reg, 4) with { EarlyStopMultiplier = double.MaxValue })
                    .Fit(Rows(x, toy.TuneTrain), Pick(toy.Y, toy.TuneTrain), Rows(x, known), Pick(toy.Y, known),
                        cancellationToken: TestContext.Current.CancellationToken);
                var acc = Doubles(tuning[k++].GetProperty("validation_accuracy"));
                Assert.Equal(model.History.Count, acc.Length);
                for (int t = 0; t < acc.Length; t++)
                    Assert.Equal(Math.Round(model.History[t].ValidationScore * known.Length) / toy.TuneValidation.Length, acc[t], 12);
            }
        }

        // balance-scale is tuned without row normalisation only.
        var balance = results["balance-scale"].GetProperty("tuning");
        Assert.Equal(Regs.Length, balance.GetArrayLength());
        Assert.All(balance.EnumerateArray(), t => Assert.False(t.GetProperty("normalize").GetBoolean()));
    }

    [Fact]
    public void TheTreeVariantFitsTreesOnDatasetsAboveTheLeafSizeOnly()
    {
        using var dir = new TempDir();
        UciFiles.Write(dir.Path, "small", UciFiles.Toy(40, 1));
        UciFiles.Write(dir.Path, "large", UciFiles.Toy(400, 2));
        var paper = CliRunner.Run("uci", dir.Path, "--only", "small");
        var r = CliRunner.Run("uci", dir.Path, "--max-leaf-size", "60", "--verbose");
        Assert.Equal(0, r.ExitCode);
        // The small set's splits train on fewer rows than the leaf size: the paper's protocol, the same result.
        static string SmallLine(string output)
        {
            string line = output.Split('\n').Single(l => l.Contains("] small: RFM", StringComparison.Ordinal));
            return line[line.IndexOf("RFM", StringComparison.Ordinal)..line.LastIndexOf("  ", StringComparison.Ordinal)];
        }
        Assert.Equal(SmallLine(paper.Out), SmallLine(r.Out));
        Assert.Contains("iter per leaf", r.Out, StringComparison.Ordinal);
        Assert.Equal(20, r.Out.Split('\n').Count(l => l.Contains("tree val acc", StringComparison.Ordinal)));
        CliRunner.Run("uci", dir.Path, "--max-leaf-size", "1").AssertOneLineError(1, "--max-leaf-size must be at least 2");
    }

    [Fact]
    public void OnlyMaxNAndOneFolder()
    {
        using var dir = new TempDir();
        UciFiles.Write(dir.Path, "small", UciFiles.Toy(40, 1));
        UciFiles.Write(dir.Path, "large", UciFiles.Toy(80, 2));
        UciFiles.Write(dir.Path, "other", UciFiles.Toy(40, 3));

        var r = CliRunner.Run("uci", dir.Path, "--only", "small,large", "--max-n", "50");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[1/2] small: n=40", r.Out, StringComparison.Ordinal);
        Assert.Contains("[2/2] large: skipped (n = 80 > --max-n 50)", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("other", r.Out, StringComparison.Ordinal);
        Assert.Contains("1 dataset(s) done, 1 skipped, 0 failed", r.Out, StringComparison.Ordinal);

        // A dataset folder itself is accepted too, and --verbose prints every tuning setting.
        var one = CliRunner.Run("uci", Path.Combine(dir.Path, "other"), "--verbose");
        Assert.Equal(0, one.ExitCode);
        Assert.Equal(10, one.Out.Split('\n').Count(l => l.Contains("val acc by iteration", StringComparison.Ordinal)));
    }

    [Fact]
    public void OutWithExtensionIsAPrefix()
    {
        using var dir = new TempDir();
        UciFiles.Write(dir.Path, "toy", UciFiles.Toy(40, 4));
        var r = CliRunner.Run("uci", dir.Path, "--out", Path.Combine(dir.Path, "res.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(Path.Combine(dir.Path, "res.md")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "res.json")));
        var acc = json.RootElement[0].GetProperty("rfm_test_accuracy").GetDouble();
        Assert.InRange(acc, 0, 1);
    }

    static RfmOptions Options(double reg, int iterations) => new()
    {
        Kernel = RfmKernel.Laplace,
        Bandwidth = L,
        Reg = reg,
        Iterations = iterations,
        ValidationFraction = 0,
    };

    static float[,] NormalizeRows(float[,] x)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var r = new float[n, d];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
                s += (double)x[i, j] * x[i, j];
            double inv = 1 / Math.Sqrt(s);
            for (int j = 0; j < d; j++)
                r[i, j] = (float)(x[i, j] * inv);
        }
        return r;
    }

    static float[,] Rows(float[,] x, int[] idx)
    {
        int d = x.GetLength(1);
        var r = new float[idx.Length, d];
        for (int i = 0; i < idx.Length; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = x[idx[i], j];
        return r;
    }

    static int[] Pick(int[] y, int[] idx) => [.. idx.Select(i => y[i])];

    static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    static double Accuracy(int[] pred, int[] y) => (double)pred.Zip(y).Count(p => p.First == p.Second) / y.Length;

    /// <summary>Kernel ridge regression in double on one-hot targets of the training classes:
    /// K_ij = exp(-sqrt((x_i - x_j)^T M (x_i - x_j)) / L), (K + reg I) A = Y, label = argmax of K(test, train) A.</summary>
    static double NaiveKrrAccuracy(float[,] x, int[] y, int[] train, int[] test, float[,] m, double reg)
    {
        int d = x.GetLength(1), n = train.Length;
        int[] classes = [.. train.Select(i => y[i]).Distinct().Order()];
        int c = classes.Length;
        double Kernel(int a, int b)
        {
            double s = 0;
            for (int p = 0; p < d; p++)
                for (int q = 0; q < d; q++)
                    s += ((double)x[a, p] - x[b, p]) * m[p, q] * ((double)x[a, q] - x[b, q]);
            return Math.Exp(-Math.Sqrt(Math.Max(s, 0)) / L);
        }
        var k = new double[n, n + c];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                k[i, j] = Kernel(train[i], train[j]) + (i == j ? reg : 0);
            k[i, n + Array.IndexOf(classes, y[train[i]])] = 1;
        }
        // Gauss-Jordan elimination with partial pivoting on [K + reg I | Y].
        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int i = col + 1; i < n; i++)
                if (Math.Abs(k[i, col]) > Math.Abs(k[piv, col]))
                    piv = i;
            for (int j = 0; j < n + c; j++)
                (k[col, j], k[piv, j]) = (k[piv, j], k[col, j]);
            for (int i = 0; i < n; i++)
            {
                if (i == col)
                    continue;
                double f = k[i, col] / k[col, col];
                for (int j = col; j < n + c; j++)
                    k[i, j] -= f * k[col, j];
            }
        }
        int correct = 0;
        foreach (int t in test)
        {
            int arg = 0;
            double bestOut = double.NegativeInfinity;
            for (int l = 0; l < c; l++)
            {
                double f = 0;
                for (int i = 0; i < n; i++)
                    f += Kernel(t, train[i]) * k[i, n + l] / k[i, i];
                if (f > bestOut)
                    (bestOut, arg) = (f, l);
            }
            if (classes[arg] == y[t])
                correct++;
        }
        return (double)correct / test.Length;
    }
}
