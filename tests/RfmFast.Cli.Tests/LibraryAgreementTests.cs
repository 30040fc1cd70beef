using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary>A model saved by <c>rfm fit</c> is an ordinary library model: <see cref="RfmModel.Load(string)"/> and the
/// library's predictions give exactly what <c>rfm predict</c> writes, with no knowledge of the tool's settings.</summary>
public sealed class LibraryAgreementTests
{
    static float[,] Features(string csv, string[] names)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int[] cols = [.. names.Select(n => Array.IndexOf(header, n))];
        var x = new float[lines.Length - 1, names.Length];
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (int k = 0; k < cols.Length; k++)
                x[i - 1, k] = float.Parse(cells[cols[k]], CultureInfo.InvariantCulture);
        }
        return x;
    }

    [Fact]
    public void A_regressor_fitted_by_the_tool_predicts_the_same_bits_in_the_library()
    {
        using var dir = new TempDir();
        string train = dir.File("reg.csv", Synthetic.Regression(150, 4));
        string model = Path.Combine(dir.Path, "reg.rfm");
        Assert.Equal(0, CliRunner.Run("fit", train, "--target", "y", "--iters", "2", "--out", model).ExitCode);
        string outFile = Path.Combine(dir.Path, "pred.csv");
        Assert.Equal(0, CliRunner.Run("predict", model, train, "--out", outFile).ExitCode);

        var loaded = Assert.IsType<RfmRegressionModel>(RfmModel.Load(model));
        Assert.True(loaded.Preprocessing.StandardizeFeatures);
        Assert.True(loaded.Preprocessing.StandardizeTarget);
        var x = Features(train, [.. loaded.FeatureNames]);
        float[] library = loaded.Predict(x);
        string[] tool = [.. File.ReadAllLines(outFile).Skip(1)];
        Assert.Equal(tool, library.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray());
        // The standardisation is the model's own: the predictions are in the target's units, not standardised.
        double spread = library.Max() - library.Min();
        Assert.True(spread > 0.5, $"predictions span {spread}");
    }

    [Fact]
    public void A_classifier_fitted_by_the_tool_predicts_the_same_labels_and_probabilities_in_the_library()
    {
        using var dir = new TempDir();
        string train = dir.File("cls.csv", Synthetic.Classification(120, 3, textLabels: true));
        string model = Path.Combine(dir.Path, "cls.rfm");
        Assert.Equal(0, CliRunner.Run("fit", train, "--target", "label", "--iters", "2", "--out", model).ExitCode);
        string labelsFile = Path.Combine(dir.Path, "labels.csv"), probaFile = Path.Combine(dir.Path, "proba.csv");
        Assert.Equal(0, CliRunner.Run("predict", model, train, "--out", labelsFile).ExitCode);
        Assert.Equal(0, CliRunner.Run("predict", model, train, "--proba", "--out", probaFile).ExitCode);

        var loaded = Assert.IsType<RfmClassifierModel>(RfmModel.Load(model));
        Assert.False(loaded.HasIntegerLabels);
        Assert.Equal(["no", "yes"], loaded.ClassNames);
        var x = Features(train, [.. loaded.FeatureNames]);
        Assert.Equal(File.ReadAllLines(labelsFile).Skip(1).ToArray(), loaded.PredictLabels(x));
        var p = loaded.PredictProba(x);
        var rows = File.ReadAllLines(probaFile).Skip(1).ToArray();
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(rows[i], $"{p[i, 0].ToString("R", CultureInfo.InvariantCulture)},{p[i, 1].ToString("R", CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void A_text_column_is_a_categorical_feature_and_an_unseen_category_still_predicts()
    {
        using var dir = new TempDir();
        var rng = new Random(5);
        string[] colours = ["red", "green", "blue"];
        var rows = Enumerable.Range(0, 90).Select(_ =>
        {
            double a = rng.NextDouble() * 2 - 1;
            string c = colours[rng.Next(3)];
            return (a, c, y: a + (c == "red" ? 2 : c == "blue" ? -1 : 0));
        }).ToArray();
        string train = dir.File("cat.csv", "a,colour,y\n" + string.Concat(rows.Select(r =>
            $"{r.a.ToString("R", CultureInfo.InvariantCulture)},{r.c},{r.y.ToString("R", CultureInfo.InvariantCulture)}\n")));
        string model = Path.Combine(dir.Path, "cat.rfm");
        var fit = CliRunner.Run("fit", train, "--target", "y", "--iters", "2", "--out", model);
        Assert.Equal(0, fit.ExitCode);
        Assert.True(CliRunner.Number(fit.Out, "R^2") > 0.9, fit.Out);

        var loaded = Assert.IsType<RfmRegressionModel>(RfmModel.Load(model));
        Assert.Equal([1], loaded.Preprocessing.CategoricalFeatures);
        Assert.Equal(["a", "colour=blue", "colour=green", "colour=red"], loaded.EncodedFeatureNames);

        string query = dir.File("q.csv", "colour,a\nred,0.5\npurple,0.5\nblue,0.5\n");
        string outFile = Path.Combine(dir.Path, "pred.csv");
        var pred = CliRunner.Run("predict", model, query, "--out", outFile);
        Assert.Equal(0, pred.ExitCode);
        string[] tool = [.. File.ReadAllLines(outFile).Skip(1)];
        float[] library = loaded.Predict(new float[,] { { 0.5f, (float)loaded.CategoryCode(1, "red") }, { 0.5f, -1 }, { 0.5f, (float)loaded.CategoryCode(1, "blue") } });
        Assert.Equal(tool, library.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray());
        Assert.True(library[0] > library[1] && library[1] > library[2], string.Join(" ", library));
    }
}
