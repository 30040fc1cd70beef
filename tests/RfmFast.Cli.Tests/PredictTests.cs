using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm fit --out</c> then <c>rfm predict</c> end to end: the saved model repeats the fit's
/// standardisation and class names, reads columns by name in any order, and every bad input is one line on stderr.</summary>
public sealed class PredictTests
{
    static string[] Lines(string path) => File.ReadAllLines(path);

    [Fact]
    public void A_saved_classifier_predicts_labels_and_probabilities()
    {
        using var dir = new TempDir();
        string train = dir.File("cls.csv", Synthetic.Classification(150, 3, textLabels: true));
        string model = Path.Combine(dir.Path, "models", "cls.rfm");
        var fit = CliRunner.Run("fit", train, "--target", "label", "--iters", "2", "--out", model);
        Assert.Equal(0, fit.ExitCode);
        Assert.Contains($"model saved to {model}", fit.Out, StringComparison.Ordinal);
        double trainAcc = CliRunner.Number(fit.Out, "train accuracy");

        // The query file has the feature columns in another order and the label column too (ignored).
        var rows = Lines(train).Skip(1).Select(l => l.Split(',')).ToArray();
        string query = dir.File("q.csv", "label,c,a,b\n" + string.Concat(rows.Select(r => $"{r[3]},{r[2]},{r[0]},{r[1]}\n")));
        string outFile = Path.Combine(dir.Path, "pred.csv");
        var pred = CliRunner.Run("predict", model, query, "--out", outFile);
        Assert.Equal(0, pred.ExitCode);
        Assert.Equal("", pred.Err);
        var labels = Lines(outFile);
        Assert.Equal("prediction", labels[0]);
        Assert.Equal(rows.Length, labels.Length - 1);
        double acc = rows.Select((r, i) => r[3] == labels[i + 1] ? 1.0 : 0.0).Average();
        Assert.Equal(trainAcc, acc, 1e-9);

        string probaFile = Path.Combine(dir.Path, "proba.csv");
        Assert.Equal(0, CliRunner.Run("predict", model, query, "--proba", "--out", probaFile).ExitCode);
        var proba = Lines(probaFile);
        Assert.Equal("no,yes", proba[0]);
        for (int i = 1; i < proba.Length; i++)
        {
            double[] p = [.. proba[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
            Assert.Equal(1, p.Sum(), 1e-5);
            Assert.Equal(p[1] > p[0] ? "yes" : "no", labels[i]);
        }
    }

    [Fact]
    public void A_saved_regressor_predicts_in_the_target_units()
    {
        using var dir = new TempDir();
        string train = dir.File("reg.csv", Synthetic.Regression(200, 4));
        string model = Path.Combine(dir.Path, "reg.rfm");
        var fit = CliRunner.Run("fit", train, "--target", "y", "--iters", "2", "--out", model);
        Assert.Equal(0, fit.ExitCode);
        string outFile = Path.Combine(dir.Path, "pred.csv");
        var pred = CliRunner.Run("predict", model, train, "--out", outFile);
        Assert.Equal(0, pred.ExitCode);
        var y = Lines(train).Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        var p = Lines(outFile).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double rmse = Math.Sqrt(y.Zip(p, (a, b) => (a - b) * (a - b)).Average());
        // The targets are about 10 +- 3: predictions in standardised units would be off by ~10.
        Assert.True(rmse < 0.5, $"train RMSE {rmse}");
        Assert.Equal(CliRunner.Number(fit.Out, "train RMSE"), rmse, 1e-3 * Math.Max(1, rmse));
    }

    [Fact]
    public void Bad_models_and_data_are_one_clear_line()
    {
        using var dir = new TempDir();
        string train = dir.File("reg.csv", Synthetic.Regression(60, 5));
        string model = Path.Combine(dir.Path, "reg.rfm");
        Assert.Equal(0, CliRunner.Run("fit", train, "--target", "y", "--iters", "1", "--out", model).ExitCode);
        string outFile = Path.Combine(dir.Path, "p.csv");

        void Fails(string expected, params string[] args)
        {
            var r = CliRunner.Run(args);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains(expected, r.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
            Assert.Single(r.Err.Trim().Split('\n'));
        }

        Fails("no such model file", "predict", Path.Combine(dir.Path, "missing.rfm"), train, "--out", outFile);
        string corrupt = dir.File("corrupt.rfm", "RFMFAST\0 but not really a model");
        Fails("not a usable model file", "predict", corrupt, train, "--out", outFile);
        var bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(Path.Combine(dir.Path, "flipped.rfm"), bytes);
        Fails("checksum", "predict", Path.Combine(dir.Path, "flipped.rfm"), train, "--out", outFile);
        Fails("no column 'x2'", "predict", model, dir.File("q.csv", "x1,y\n1,2\n"), "--out", outFile);
        Fails("--proba needs a classification model", "predict", model, train, "--proba", "--out", outFile);
        Fails("is not a finite number", "predict", model, dir.File("bad.csv", "x1,x2\n1,abc\n"), "--out", outFile);

        // A model saved through the library API is an ordinary model: with column names the tool predicts with it;
        // without them it cannot find its columns.
        var x = new float[,] { { 0, 1 }, { 1, 0 }, { 2, 2 }, { 3, 1 } };
        var api = new RfmRegressor(new RfmOptions { Iterations = 1, ValidationFraction = 0 })
            .Fit(x, new float[,] { { 0 }, { 1 }, { 2 }, { 3 } }, cancellationToken: TestContext.Current.CancellationToken);
        string apiModel = Path.Combine(dir.Path, "api.rfm");
        api.Save(apiModel, ["x1", "x2"]);
        Assert.Equal(0, CliRunner.Run("predict", apiModel, train, "--out", outFile).ExitCode);
        Assert.Equal(File.ReadAllLines(train).Length, File.ReadAllLines(outFile).Length);
        api.Save(apiModel, []);
        Fails("has no feature column names", "predict", apiModel, train, "--out", outFile);
    }
}
