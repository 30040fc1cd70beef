using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>Model files of format version 1 (data/v1, written by the rfm tool before the model owned its
/// preprocessing) still load, and predict what the tool of that time predicted from the same raw rows.</summary>
public sealed class LegacyModelTests
{
    static string Dir => Path.Combine(RepoRoot, "tests", "RfmFast.Tests", "data", "v1");

    static float[,] Features(string file, int d)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, file)).Skip(1).ToArray();
        var x = new float[lines.Length, d];
        for (int i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (int j = 0; j < d; j++)
                x[i, j] = float.Parse(cells[j], CultureInfo.InvariantCulture);
        }
        return x;
    }

    static string[] Column(string file) => File.ReadAllLines(Path.Combine(Dir, file)).Skip(1).ToArray();

    [Fact]
    public void A_version_1_regression_model_of_the_tool_predicts_in_the_target_units()
    {
        var model = Assert.IsType<RfmRegressionModel>(RfmModel.Load(Path.Combine(Dir, "reg.rfm")));
        Assert.True(model.Preprocessing.StandardizeFeatures);
        Assert.True(model.Preprocessing.StandardizeTarget);
        Assert.Equal(["a", "b", "c"], model.FeatureNames);
        Assert.InRange(model.FeatureMeans[0], 90, 110);
        var predicted = model.Predict(Features("reg.csv", 3));
        var then = Column("reg.predictions.csv").Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(then.Length, predicted.Length);
        // The tool of that time mapped the float output back in double (the model now returns float), and it ran on
        // an AVX2 machine (tier V256): other tiers round the kernel sums differently.
        for (int i = 0; i < then.Length; i++)
            Assert.Equal(then[i], predicted[i], 1e-4 * Math.Abs(then[i]));
    }

    [Fact]
    public void A_version_1_classifier_of_the_tool_has_its_class_names_back()
    {
        var model = Assert.IsType<RfmClassifierModel>(RfmModel.Load(Path.Combine(Dir, "cls.rfm")));
        Assert.Equal(["down", "up"], model.ClassNames);
        Assert.False(model.HasIntegerLabels);
        var x = Features("cls.csv", 3);
        Assert.Equal(Column("cls.predictions.csv"), model.PredictLabels(x));
        var p = model.PredictProba(x);
        var then = Column("cls.proba.csv");
        for (int i = 0; i < then.Length; i++)
        {
            var v = then[i].Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(v[0], p[i, 0], 1e-4f);
            Assert.Equal(v[1], p[i, 1], 1e-4f);
        }
    }

    [Fact]
    public void Version_2_models_of_the_tool_predict_what_they_predicted_then()
    {
        string v2 = Path.Combine(RepoRoot, "tests", "RfmFast.Tests", "data", "v2");
        var reg = Assert.IsType<RfmRegressionModel>(RfmModel.Load(Path.Combine(v2, "reg.rfm")));
        Assert.False(reg.IsTree);
        Assert.Equal(2, reg.BestIteration);
        var predicted = reg.Predict(Features("reg.csv", 3));
        var then = File.ReadAllLines(Path.Combine(v2, "reg.predictions.csv")).Skip(1).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < then.Length; i++)
            Assert.Equal(then[i], predicted[i], 1e-4 * Math.Abs(then[i]));
        var cls = Assert.IsType<RfmClassifierModel>(RfmModel.Load(Path.Combine(v2, "cls.rfm")));
        Assert.Equal(["down", "up"], cls.ClassNames);
        Assert.Equal(File.ReadAllLines(Path.Combine(v2, "cls.predictions.csv")).Skip(1), cls.PredictLabels(Features("cls.csv", 3)));
    }
}
